// GET /api/runs/:id/waits: the run's Wait nodes waiting now for a resume, for the run panel: what each waits for
// (`webhook`: its resume link, `signal`: POST /api/runs/:id/resume), since when, when it times out (a timeout set by
// an expression is sent as that text), and the signed resume link of a `webhook` wait (db/resume-links.ts). A run
// that has ended waits for nothing. Waits for a resume cannot sit in loop bodies (the compiler refuses them), so
// only top-level steps are read.
import { apiHandler } from '../lib/api-route.server';
import { apiError, json } from '../lib/http.server';
import { getPlan } from '../../db/plans';
import { resumeUrl } from '../../db/resume-links';
import { getRun } from '../../db/runs';
import { findStepsByKey } from '../../db/steps';
import { isTerminalRunStatus } from '../../contracts/run-status';
import { DELAY_UNITS, durationMs, type DelayUnit } from '../../nodes/delay/spec';
import type { PlanNode } from '../../ir/types';

export interface RunWait {
  nodeId: string;
  nodeName: string;
  source: 'webhook' | 'signal';
  since?: string;
  /** When the wait gives up down "Timed out"; absent when it waits as long as it takes. */
  timeoutAt?: string;
  /** The timeout as written, when it is an expression the run resolved itself. */
  timeoutExpression?: string;
  resumeUrl?: string;
}

const handle = apiHandler('/api/runs/:id/waits', {
  GET: async ({ params, caller }) => {
    const run = await getRun(caller.scope, params.id!);
    if (!run) return apiError(404, `Run ${params.id} does not exist.`);
    const plan = isTerminalRunStatus(run.status) ? undefined : await getPlan(run.planHash);
    const eventWaits = Object.values(plan?.nodes ?? {}).filter((n) => n.kind === 'wait' && sourceOf(n) !== undefined);
    const steps = await findStepsByKey(
      run.runId,
      eventWaits.map((n) => ({ nodeId: n.id, iteration: 0 })),
    );
    const waits = steps
      .filter((step) => step.status === 'running')
      .map((step): RunWait => {
        const node = plan!.nodes[step.nodeId];
        const source = sourceOf(node)!;
        return {
          nodeId: node.id,
          nodeName: node.name,
          source,
          since: step.startedAt?.toISOString(),
          ...timeoutOf(node, step.startedAt),
          ...(source === 'webhook' ? { resumeUrl: resumeUrl(run.runId, node.id) } : {}),
        };
      });
    return json({ waits });
  },
});

export const loader = handle;
export const action = handle;

function sourceOf(node: PlanNode): RunWait['source'] | undefined {
  const mode = node.params.mode;
  return mode === 'webhook' || mode === 'signal' ? mode : undefined;
}

function timeoutOf(node: PlanNode, since: Date | undefined): Pick<RunWait, 'timeoutAt' | 'timeoutExpression'> {
  const { timeoutAmount: amount, timeoutUnit } = node.params;
  if (amount === undefined || amount === null || amount === '') return {};
  const unit = (DELAY_UNITS as readonly unknown[]).includes(timeoutUnit) ? (timeoutUnit as DelayUnit) : 'days';
  if (typeof amount !== 'number' || !since) return { timeoutExpression: `${String(amount)} ${unit}` };
  return { timeoutAt: new Date(since.getTime() + durationMs({ amount, unit })).toISOString() };
}
