// The context a runner receives besides params and input, built one way for a node activity and for a node
// of a pure chain (activities/run-pure-chain.ts).
import type { Context } from '@temporalio/activity';
import type { PlanNode } from '../ir/types';
import type { RunContext } from '../nodes/define';

const SECRET_KEY = /secret|token|password|passwd|authorization|api[-_]?key|credential|cookie/i;

export interface RunContextSource {
  runId: string;
  workflowId: string;
  node: PlanNode;
  iteration: number;
  attempt: number;
  signal: AbortSignal;
  heartbeat: RunContext['heartbeat'];
}

export function runContext(context: Context, source: RunContextSource): RunContext {
  const { runId, workflowId, node, iteration } = source;
  return {
    runId,
    workflowId,
    nodeId: node.id,
    nodeName: node.name,
    idempotencyKey: `${runId}:${node.id}:${iteration}`,
    attempt: source.attempt,
    signal: source.signal,
    heartbeat: source.heartbeat,
    log: {
      info: (msg, meta) => context.log.info(msg, redact({ ...meta, nodeId: node.id })),
      warn: (msg, meta) => context.log.warn(msg, redact({ ...meta, nodeId: node.id })),
    },
  };
}

/** Runner log metadata goes to worker logs; values under secret-looking keys never do. */
function redact(meta: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(meta).map(([k, v]) => [k, SECRET_KEY.test(k) ? '[redacted]' : v]));
}
