// The inspector's Settings tab: what a node does when it fails (stop, continue, or an Error output), and for
// nodes that run as activities its retries and timeout. Writes the node's policy overrides (DocumentNode.policy);
// the spec's defaults show as placeholders, and a cleared field drops its override.
import { useEffect, useState } from 'react';
import type { Diagnostic } from '../../../ir/types';
import { TagRunSettings } from './TagRunSettings';
import { ERROR_PORT } from '../../../nodes/ports';
import type { NodeDescription } from '../../lib/node-description';
import type { BatonNodeData } from '../../stores/flow-document';
import { useEditor, useWorkflowStore } from '../../stores/workflow-store-context';
import {
  POLICY_NUMBER_FIELDS,
  onErrorOf,
  parsePolicyNumber,
  placeholderFor,
  policyFieldOf,
  policyNumber,
  policyPathOf,
  retrySummary,
  toDisplay,
  withOnError,
  withPolicyNumber,
  type OnError,
  type PolicyNumberField,
  type PolicyOverride,
} from './policy-form';

const RETRY_FIELDS = POLICY_NUMBER_FIELDS.filter((f) => f.key !== 'timeoutMs');
const TIMEOUT_FIELD = POLICY_NUMBER_FIELDS.find((f) => f.key === 'timeoutMs')!;

const ON_ERROR: ReadonlyArray<{ value: OnError; label: string; hint: string }> = [
  { value: 'stop', label: 'Stop the run', hint: 'The run fails at this node.' },
  { value: 'continue', label: 'Continue', hint: 'The error becomes the node’s output and goes down its outputs.' },
  {
    value: 'errorOutput',
    label: 'Send to an Error output',
    hint: 'The node gets an Error output; connect what should handle the failure.',
  },
];

interface Props {
  nodeId: string;
  spec: NodeDescription;
  policy: BatonNodeData['policy'];
  /** This node's diagnostics about its policy. */
  diagnostics: Diagnostic[];
  readOnly: boolean;
}

export function NodeSettings({ nodeId, spec, policy, diagnostics, readOnly }: Props) {
  const store = useWorkflowStore();
  const setNodePolicy = useEditor((s) => s.setNodePolicy);
  const changeSeq = useEditor((s) => s.changeSeq);
  const errorEdges = useEditor(
    (s) => s.edges.filter((e) => e.source === nodeId && e.sourceHandle === ERROR_PORT.id).length,
  );
  // `seq`: the document's change count right after the removal; undoing it is offered only while nothing came after.
  const [removed, setRemoved] = useState<{ count: number; seq: number } | null>(null);
  const defaults = spec.policy;
  const mode = onErrorOf(policy, defaults);
  // The document's type wants whole retry objects; the schema and compiler take the fields one by one.
  const save = (next: PolicyOverride | undefined) => setNodePolicy(nodeId, next as BatonNodeData['policy']);
  const retries = spec.runtime.kind === 'activity';

  const byField = (field: string) =>
    diagnostics
      .filter((d) => {
        const path = policyPathOf(d.path);
        return path !== undefined && policyFieldOf(path) === field;
      })
      .map((d) => plainMessage(d.message));
  const general = byField('general');

  const numberInput = (field: PolicyNumberField) => (
    <PolicyNumberInput
      key={field.key}
      id={`policy-${nodeId}-${field.key}`}
      field={field}
      stored={policyNumber(policy, field.key)}
      placeholder={placeholderFor(field, defaults)}
      diagnostics={byField(field.key)}
      onChange={(value) => save(withPolicyNumber(policy, field.key, value))}
    />
  );

  const chooseOnError = (next: OnError) => {
    if (next === mode) return;
    save(withOnError(policy, next, defaults));
    // The store dropped the edges from the Error output with it (a dangling edge would keep the draft from saving).
    setRemoved(
      mode === 'errorOutput' && errorEdges > 0 ? { count: errorEdges, seq: store.getState().changeSeq } : null,
    );
  };

  return (
    <div className="node-settings">
      {general.map((message, i) => (
        <div key={i} className="banner error">
          {message}
        </div>
      ))}
      <fieldset className="settings-group" disabled={readOnly}>
        <legend className="section-title">On error</legend>
        <div className="choice-list">
          {ON_ERROR.map((o) => (
            <label key={o.value} className={`choice${mode === o.value ? ' checked' : ''}`}>
              <input
                type="radio"
                name={`on-error-${nodeId}`}
                value={o.value}
                checked={mode === o.value}
                onChange={() => chooseOnError(o.value)}
                aria-describedby={`on-error-${nodeId}-${o.value}-hint`}
              />
              <span className="choice-text">
                <span className="choice-label">
                  {o.label}
                  {o.value === onErrorOf(undefined, defaults) && <span className="muted"> (default)</span>}
                </span>
                <span className="choice-hint" id={`on-error-${nodeId}-${o.value}-hint`}>
                  {o.hint}
                </span>
              </span>
            </label>
          ))}
        </div>
        {removed && (
          <p className="settings-note" role="status">
            Removed {removed.count === 1 ? 'the connection' : `${removed.count} connections`} from the Error output.{' '}
            {removed.seq === changeSeq && (
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  store.getState().undo();
                  setRemoved(null);
                }}
              >
                {removed.count === 1 ? 'Put it back' : 'Put them back'}
              </button>
            )}
          </p>
        )}
      </fieldset>
      {retries && (
        <fieldset className="settings-group" disabled={readOnly}>
          <legend className="section-title">Retries</legend>
          <p className="hint">Empty fields use the node type’s defaults, shown in grey.</p>
          <div className="settings-grid">{RETRY_FIELDS.map((field) => numberInput(field))}</div>
          <p className="hint" aria-live="polite">
            {retrySummary({ ...defaults.retry, ...policy?.retry })}
          </p>
        </fieldset>
      )}
      {retries && (
        <fieldset className="settings-group" disabled={readOnly}>
          <legend className="section-title">Timeout</legend>
          <div className="settings-grid">{numberInput(TIMEOUT_FIELD)}</div>
          <p className="hint">How long one attempt may take before it counts as failed.</p>
        </fieldset>
      )}
      {!retries && (
        <p className="hint">{spec.title} runs inside the workflow itself: retries and a timeout do not apply to it.</p>
      )}
      <fieldset className="settings-group" disabled={readOnly}>
        <legend className="section-title">Tag run</legend>
        <TagRunSettings
          nodeId={nodeId}
          tags={policy?.tags ?? []}
          onChange={(tags) => {
            const { tags: _old, ...rest } = policy ?? {};
            save(tags.length > 0 ? { ...rest, tags } : Object.keys(rest).length > 0 ? rest : undefined);
          }}
        />
      </fieldset>
    </div>
  );
}

/**
 * One number of the policy. What is typed stays here until it is valid, so a half-typed or out-of-range value
 * never reaches the document (where it would keep the draft from saving); the message says what is kept.
 */
function PolicyNumberInput({
  id,
  field,
  stored,
  placeholder,
  diagnostics,
  onChange,
}: {
  id: string;
  field: PolicyNumberField;
  stored: number | undefined;
  placeholder: string;
  diagnostics: string[];
  onChange(value: number | undefined): void;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  // Undo, or another tab of the form, changed the stored value: show it instead of the draft.
  useEffect(() => {
    setDraft((d) => {
      if (d === null) return d;
      const parsed = parsePolicyNumber(field, d);
      return parsed.ok && parsed.value === stored ? d : null;
    });
  }, [stored, field]);

  const text = draft ?? toDisplay(field, stored);
  const parsed = parsePolicyNumber(field, text);
  const kept = stored === undefined ? `the default (${placeholder})` : toDisplay(field, stored);
  const message = !parsed.ok
    ? `${parsed.message}${draft !== null ? ` The node keeps ${kept} until then.` : ''}`
    : diagnostics.join(' ') || null;

  return (
    <>
      <label className="settings-label" htmlFor={id}>
        {field.label}
      </label>
      <div className="settings-cell">
        <div className="settings-input">
          <input
            id={id}
            className={`input${message ? ' invalid' : ''}`}
            inputMode="decimal"
            placeholder={placeholder}
            value={text}
            aria-invalid={message ? true : undefined}
            aria-describedby={message ? `${id}-error` : undefined}
            onChange={(e) => {
              setDraft(e.target.value);
              const next = parsePolicyNumber(field, e.target.value);
              if (next.ok && next.value !== stored) onChange(next.value);
            }}
            onBlur={() => {
              if (parsePolicyNumber(field, text).ok) setDraft(null);
            }}
          />
          <span className="settings-unit">{field.unit}</span>
        </div>
        {message && (
          <span className="error-text" id={`${id}-error`} role="alert">
            {message}
          </span>
        )}
      </div>
    </>
  );
}

/** The compiler words these "Policy retry.maximumAttempts must be …" or "nodes.3.policy.…: must be …". */
function plainMessage(message: string): string {
  return message.replace(/^(nodes\.\d+\.)?policy\.[\w.]+:\s*/, '').replace(/^Policy [\w.]+ /, '');
}
