// The context a runner receives besides params and input, built one way for a node activity and for a node
// of a pure chain (activities/run-pure-chain.ts).
import { redactSecretFields } from '../contracts/redaction';
import type { Context } from '@temporalio/activity';
import type { PlanNode } from '../ir/types';
import type { RunContext } from '../nodes/define';

export interface RunContextSource {
  runId: string;
  workflowId: string;
  node: PlanNode;
  iteration: number;
  attempt: number;
  signal: AbortSignal;
  heartbeat: RunContext['heartbeat'];
  /** Absent for nodes that run where credentials cannot be opened (pure chains). */
  credential?: RunContext['credential'];
  /** Absent where no store is reachable (pure chains). */
  once?: RunContext['once'];
  /** Absent where no store is reachable (pure chains). */
  files?: RunContext['files'];
  /** Absent where no store is reachable (pure chains). */
  tables?: RunContext['tables'];
  /** Absent where no store is reachable (pure chains). */
  workspaceId?: RunContext['workspaceId'];
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
    ...(source.credential ? { credential: source.credential } : {}),
    ...(source.once ? { once: source.once } : {}),
    ...(source.files ? { files: source.files } : {}),
    ...(source.tables ? { tables: source.tables } : {}),
    ...(source.workspaceId ? { workspaceId: source.workspaceId } : {}),
    log: {
      info: (msg, meta) => context.log.info(msg, redactSecretFields({ ...meta, nodeId: node.id })),
      warn: (msg, meta) => context.log.warn(msg, redactSecretFields({ ...meta, nodeId: node.id })),
    },
  };
}
