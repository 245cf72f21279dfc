// Turns whatever a node threw (inside the workflow or as an activity failure) into the run's RunError.
import { ActivityFailure, ApplicationFailure, TimeoutFailure } from '@temporalio/workflow';
import { errorCode } from '../contracts/errors';
import type { PlanNode } from '../ir/types';
import type { RunError } from '../contracts/run-status';

export function toRunError(err: unknown, node: PlanNode): RunError {
  const cause = err instanceof ActivityFailure && err.cause ? err.cause : err;
  let code = 'node-error';
  let detail = cause instanceof Error ? cause.message : String(cause);
  if (cause instanceof TimeoutFailure) {
    code = 'timeout';
    detail = `no result within its ${node.policy.timeoutMs} ms timeout (the node was too slow or its worker stopped)`;
  } else if (cause instanceof ApplicationFailure) {
    code = cause.type ?? code;
  } else {
    code = errorCode(cause);
  }
  return nodeFailure(node, detail, code);
}

/** The run's error for `node` failing because of `detail`. */
export function nodeFailure(node: PlanNode, detail: string, code: string): RunError {
  return { message: `Node "${node.name}" (${node.id}) failed: ${detail}`, nodeId: node.id, nodeName: node.name, code };
}
