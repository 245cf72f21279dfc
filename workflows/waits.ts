// The run's Wait nodes that wait for an event: resumes arrive as a validated Temporal Update (`resumeUpdate`), so
// a refused resume (a second call of a single-use link, a node not waiting for that) is an error for the caller,
// never a silent no-op, and an accepted one is in the run's history before the caller hears back.
import { condition, setHandler } from '@temporalio/workflow';
import type { Plan } from '../ir/types';
import type { WaitSource } from '../nodes/define';
import { registry } from '../nodes/index';
import type { GraphState } from './graph-state';
import { resumeUpdate, type ResumeRequest } from './messages';

export type WaitEnd = { resumed: true; data: unknown } | { resumed: false };

export class Waits {
  private readonly resumes = new Map<string, unknown>();
  /** Waits that ended: resumed, timed out. */
  private readonly ended = new Set<string>();

  constructor(
    private readonly plan: Plan,
    private readonly graph: GraphState,
  ) {
    setHandler(
      resumeUpdate,
      (req) => {
        this.resumes.set(req.nodeId, req.data);
        return { resumed: true };
      },
      { validator: (req) => this.check(req) },
    );
  }

  /** Waits until the node is resumed, or `timeoutMs` passes (a durable timer); absent: no limit. */
  async waitFor(nodeId: string, timeoutMs?: number): Promise<WaitEnd> {
    const resumed = () => this.resumes.has(nodeId);
    const came = timeoutMs === undefined ? (await condition(resumed), true) : await condition(resumed, timeoutMs);
    this.ended.add(nodeId);
    return came ? { resumed: true, data: this.resumes.get(nodeId) } : { resumed: false };
  }

  // Validators do not run on replay, so what this accepts can change without a patch: the history holds the outcome.
  private check({ nodeId, source }: ResumeRequest): void {
    const node = Object.prototype.hasOwnProperty.call(this.plan.nodes, nodeId) ? this.plan.nodes[nodeId] : undefined;
    if (!node || node.kind !== 'wait') throw new Error(`This run has no Wait node "${nodeId}".`);
    const spec = registry.get(node.type, node.version);
    const awaited = spec?.runtime.kind === 'wait' ? spec.runtime.awaits(node.params) : undefined;
    const what = spec?.title ?? 'Wait';
    if (awaited !== source) {
      throw new Error(
        `${what} node "${node.name}" ${awaited ? `waits for ${DESCRIBED[awaited]}` : 'waits for a time'}, not for ${DESCRIBED[source]}.`,
      );
    }
    if (this.resumes.has(nodeId))
      throw new Error(`${what} node "${node.name}" was already resumed; a resume works once.`);
    const status = this.graph.status[nodeId];
    if (this.ended.has(nodeId) || (status !== 'pending' && status !== 'running')) {
      throw new Error(
        `${what} node "${node.name}" is no longer waiting (it ${status === 'skipped' ? 'was skipped' : 'has finished'}).`,
      );
    }
  }
}

const DESCRIBED: Record<WaitSource, string> = {
  webhook: 'its resume link',
  signal: 'a resume through the API',
  form: 'its form page',
};
