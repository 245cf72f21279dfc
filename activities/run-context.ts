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
  /** Absent where no store is reachable (pure chains). */
  browserSessions?: RunContext['browserSessions'];
  /** Absent where no store is reachable (pure chains). */
  takeover?: RunContext['takeover'];
  /** Replaces the secret values the step opened (its credentials) in what it logs; absent without credentials. */
  scrub?: <T>(value: T) => T;
}

export function runContext(context: Context, source: RunContextSource): RunContext {
  const { runId, workflowId, node, iteration } = source;
  // Key names are redacted (a field called "password"), and the step's own secret values wherever they appear.
  const clean = source.scrub ?? (<T>(value: T) => value);
  const meta = (extra?: Record<string, unknown>) => redactSecretFields(clean({ ...extra, nodeId: node.id }));
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
    ...(source.browserSessions ? { browserSessions: source.browserSessions } : {}),
    ...(source.takeover ? { takeover: source.takeover } : {}),
    log: {
      info: (msg, extra) => context.log.info(clean(msg), meta(extra)),
      warn: (msg, extra) => context.log.warn(clean(msg), meta(extra)),
    },
  };
}
