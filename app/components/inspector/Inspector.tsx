// The right-hand panel: the selected node's name, its params (generated from its spec) and its settings (retries,
// timeout, what happens on error), or, with nothing selected, the workflow's problems and the keyboard shortcuts.
import { useMemo, useState } from 'react';
import type { Diagnostic, ExecutionMode } from '../../../ir/types';
import type { SpecDescription } from '../../../nodes/index';
import { useEditor, useWorkflowStore } from '../../stores/workflow-store-context';
import { NodeIcon } from '../canvas/NodeIcon';
import { InspectorTabs, panelId, tabId } from './InspectorTabs';
import type { FieldError } from './list-rows';
import { AiBudgetSetting } from './AiBudgetSetting';
import { ErrorWorkflowSetting } from './ErrorWorkflowSetting';
import { NodeSettings } from './NodeSettings';
import { ParamField } from './ParamField';
import { policyPathOf } from './policy-form';
import { IconButton } from '../ui/IconButton';
import { useLastRunLoops } from './useLastRunLoops';

/** The param key a diagnostic points at: the segment after `params` in its path. */
function paramKeyOf(d: Diagnostic): string | undefined {
  const i = d.path?.indexOf('params') ?? -1;
  return i >= 0 ? String(d.path![i + 1]) : undefined;
}

/** A param's errors, each located inside the param (a list's row and cell). */
function paramErrors(diagnostics: Diagnostic[], key: string): FieldError[] {
  return diagnostics
    .filter((d) => d.severity === 'error' && paramKeyOf(d) === key)
    .map((d) => ({ path: d.path!.slice(d.path!.indexOf('params') + 2), message: d.message }));
}

type Tab = 'params' | 'settings';

export function Inspector() {
  // The node's data, not the node: dragging the selected node replaces the node object on every frame, and
  // re-rendering the form (Monaco included) each time made the canvas stutter.
  const nodeId = useEditor((s) => s.selectedNodeId);
  const data = useEditor((s) => s.nodes.find((n) => n.id === s.selectedNodeId)?.data);
  const node = nodeId && data ? { id: nodeId, data } : undefined;
  const spec = useEditor((s) => (data ? s.specs[data.type] : undefined));
  const diagnostics = useEditor((s) => s.diagnostics);
  const readOnly = useEditor((s) => s.readOnly);
  const run = useEditor((s) => s.run ?? s.lastRun);
  const workflowId = useEditor((s) => s.workflowId);
  const setParam = useEditor((s) => s.setParam);
  const setListParam = useEditor((s) => s.setListParam);
  const renameNode = useEditor((s) => s.renameNode);
  const removeNode = useEditor((s) => s.removeNode);
  // Kept while moving between nodes: someone setting retries on several nodes stays on Settings.
  const [tab, setTab] = useState<Tab>('params');
  useLastRunLoops();

  if (!node) return <WorkflowOverview diagnostics={diagnostics} />;
  // Messages often start with the node's name, which the panel already shows.
  const prefix = `${node.data.name}: `;
  const mine = diagnostics
    .filter((d) => d.nodeId === node.id)
    .map((d) => (d.message.startsWith(prefix) ? { ...d, message: d.message.slice(prefix.length) } : d));
  const policyProblems = mine.filter((d) => policyPathOf(d.path) !== undefined);
  const general = mine.filter((d) => !paramKeyOf(d) && !policyPathOf(d.path));
  // Triggers start runs; nothing retries them or catches their failure.
  const hasSettings = !!spec && spec.runtime.kind !== 'trigger';
  const shownTab: Tab = hasSettings ? tab : 'params';
  const paramErrorCount = mine.filter((d) => paramKeyOf(d) && d.severity === 'error').length;
  const tabBase = `inspector-${node.id}`;

  return (
    <aside className="inspector" aria-label="Node settings">
      <header className="inspector-head">
        <span className={`inspector-icon cat-${spec?.category ?? 'unknown'}`}>
          <NodeIcon icon={spec?.icon} category={spec?.category} size={18} />
        </span>
        <div className="inspector-title">
          <input
            className="inline-name"
            aria-label="Node name"
            value={node.data.name}
            readOnly={readOnly}
            onChange={(e) => renameNode(node.id, e.target.value)}
          />
          <span className="muted">
            {spec?.title ?? node.data.type} · v{node.data.version}
          </span>
        </div>
        {!readOnly && (
          <IconButton
            label={`Delete ${node.data.name}`}
            title="Delete node (Delete)"
            onClick={() => removeNode(node.id)}
            strokeWidth={1.5}
            path="M3 4.5h10M6.5 4.5V3h3v1.5M4.5 4.5l.6 8.5h5.8l.6-8.5"
          />
        )}
      </header>
      {hasSettings && (
        <InspectorTabs
          base={tabBase}
          selected={shownTab}
          onSelect={setTab}
          tabs={[
            { key: 'params', label: 'Parameters', errors: paramErrorCount },
            { key: 'settings', label: 'Settings', errors: policyProblems.length },
          ]}
        />
      )}
      <div
        className="inspector-body"
        {...(hasSettings
          ? { role: 'tabpanel', id: panelId(tabBase, shownTab), 'aria-labelledby': tabId(tabBase, shownTab) }
          : {})}
      >
        {shownTab === 'params' && spec?.description && <p className="inspector-desc">{spec.description}</p>}
        {!spec && (
          <div className="banner error">
            Baton has no node type “{node.data.type}”. Delete this node or install the node type.
          </div>
        )}
        {general.map((d, i) => (
          <div key={i} className={`banner ${d.severity === 'warning' ? 'warning' : 'error'}`}>
            {d.message}
          </div>
        ))}
        {shownTab === 'settings' && spec && (
          <NodeSettings
            key={node.id}
            nodeId={node.id}
            spec={spec}
            policy={node.data.policy}
            diagnostics={policyProblems}
            readOnly={readOnly}
          />
        )}
        {shownTab === 'params' && spec?.params.length === 0 && <p className="muted">This node has no parameters.</p>}
        {shownTab === 'params' &&
          spec?.params
            .filter((p) => shown(p, node.data.params, spec.params))
            .map((p) => (
              <ParamField
                key={`${node.id}:${p.key}`}
                nodeId={node.id}
                workflowId={workflowId}
                param={p}
                // An unset param behaves as its default at run time, so that is what the form shows.
                value={node.data.params[p.key] ?? p.default}
                errors={paramErrors(mine, p.key)}
                readOnly={readOnly}
                run={run}
                onChange={(v, change) =>
                  change && Array.isArray(v) ? setListParam(node.id, p.key, v, change) : setParam(node.id, p.key, v)
                }
              />
            ))}
      </div>
    </aside>
  );
}

/** A field with `showWhen` appears only while the param it depends on (or its default) has one of the values. */
function shown(
  p: SpecDescription['params'][number],
  values: Record<string, unknown>,
  all: SpecDescription['params'],
): boolean {
  const when = p.ui.showWhen;
  if (!when) return true;
  const current = values[when.param] ?? all.find((q) => q.key === when.param)?.default;
  return typeof current === 'string' && when.oneOf.includes(current);
}

const MODE_TRADE_OFF: Record<ExecutionMode, string> = {
  standard: 'Standard: every step is stored as it happens; runs survive crashes and restarts and may wait for days.',
  express:
    'Express: for high-volume webhooks. Runs execute in memory and are recorded when they end. A crash or restart loses runs in progress; no Delay nodes; no retry after a crash.',
};

/** The workflow's execution mode (docs/decisions/030-express-mode.md), with what each one gives up. */
function ExecutionModeSetting() {
  const store = useWorkflowStore();
  const mode = useEditor((s) => s.settings.mode ?? 'standard');
  const readOnly = useEditor((s) => s.readOnly);
  const choose = (next: ExecutionMode) => {
    const s = store.getState();
    if (s.readOnly || next === mode) return;
    const { mode: _previous, ...rest } = s.settings;
    // Standard is the default and is saved as no setting, so documents without a mode keep their plan hash.
    const settings = next === 'standard' ? rest : { ...rest, mode: next };
    store.setState({
      settings,
      changeSeq: s.changeSeq + 1,
      saveStatus: s.saveStatus === 'saving' ? 'saving' : 'dirty',
    });
  };
  return (
    <section>
      <h3 className="section-title">Execution mode</h3>
      <select
        className="select"
        aria-label="Execution mode"
        value={mode}
        disabled={readOnly}
        onChange={(e) => choose(e.target.value as ExecutionMode)}
      >
        <option value="standard">Standard (durable)</option>
        <option value="express">Express (in memory)</option>
      </select>
      <p className="muted">{MODE_TRADE_OFF[mode]}</p>
    </section>
  );
}

function WorkflowOverview({ diagnostics }: { diagnostics: Diagnostic[] }) {
  const selectNode = useEditor((s) => s.selectNode);
  const nodes = useEditor((s) => s.nodes);
  const names = useMemo(() => Object.fromEntries(nodes.map((n) => [n.id, n.data.name])), [nodes]);
  const problems = [...diagnostics].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  return (
    <aside className="inspector" aria-label="Workflow overview">
      <header className="inspector-head">
        <div className="inspector-title">
          <h2>Workflow</h2>
          <span className="muted">Select a node to edit its settings.</span>
        </div>
      </header>
      <div className="inspector-body">
        <ExecutionModeSetting />
        <ErrorWorkflowSetting />
        <AiBudgetSetting />
        <section>
          <h3 className="section-title">
            Problems{' '}
            {problems.length > 0 && (
              <span className={`badge ${problems[0].severity === 'error' ? 'failed' : 'warning'}`}>
                {problems.length}
              </span>
            )}
          </h3>
          {problems.length === 0 ? (
            <p className="muted">No problems: this workflow can run.</p>
          ) : (
            <ul className="problem-list">
              {problems.map((d, i) => (
                <li key={i}>
                  <button
                    type="button"
                    className={d.severity}
                    onClick={() => d.nodeId && selectNode(d.nodeId)}
                    disabled={!d.nodeId}
                  >
                    {d.nodeId && <strong>{names[d.nodeId] ?? d.nodeId}: </strong>}
                    {d.message}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section>
          <h3 className="section-title">Keyboard</h3>
          <dl className="shortcuts">
            <dt>
              <kbd>/</kbd>
            </dt>
            <dd>Search nodes</dd>
            <dt>
              <kbd>Enter</kbd>
            </dt>
            <dd>Add the focused node</dd>
            <dt>
              <kbd>Ctrl</kbd> <kbd>S</kbd>
            </dt>
            <dd>Save</dd>
            <dt>
              <kbd>Ctrl</kbd> <kbd>Enter</kbd>
            </dt>
            <dd>Run</dd>
            <dt>
              <kbd>Ctrl</kbd> <kbd>Z</kbd>
            </dt>
            <dd>
              Undo (<kbd>Shift</kbd> to redo)
            </dd>
            <dt>
              <kbd>Del</kbd>
            </dt>
            <dd>Delete selection</dd>
          </dl>
        </section>
      </div>
    </aside>
  );
}
