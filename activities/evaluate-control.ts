// Control nodes (If, Merge) normally run inside the workflow, which cannot read the blob store. When a
// value they look at holds a blob reference, the interpreter sends them here instead: the same pure
// `route`/`combine` of their spec, over the stored values.
import type { NodeSpec } from '../nodes/define';
import type { BlobRef } from '../contracts/blob-ref';
import { resolveParams } from '../ir/params';
import type { ActivityDeps } from './deps';
import { describeNodeError, toApplicationFailure } from './node-errors';
import { expressionScope, loadInput, loadOutputs, type ExpressionSource, type StepRef } from './step-io';

export interface EvaluateControlInput extends ExpressionSource {
  iteration: number;
  /** Branch: the executions forming its input (as for `runNode`). Merge: its inputs, in port order. */
  inputFrom: StepRef[];
}

export interface EvaluateControlResult {
  /** Branch: the output port taken (the output is the input, unchanged). */
  port?: string | string[];
  /** Merge: the combined output, a BlobRef when it is over the blob threshold. */
  output?: unknown;
}

export function createEvaluateControl(deps: ActivityDeps) {
  return async function evaluateControl(req: EvaluateControlInput): Promise<EvaluateControlResult> {
    const { runId, node } = req;
    try {
      const spec = deps.nodes.get(node.type, node.version);
      if (!spec) throw permanent(`its type ${node.type}@${node.version} is not in this worker's node registry`);
      const { runtime } = spec;
      if (runtime.kind === 'branch') {
        const { value: input } = await loadInput(deps.store, runId, req.inputFrom);
        return { port: runtime.route(await params(deps, spec, req, input), input) };
      }
      if (runtime.kind === 'merge') {
        const seen = new Map<object, BlobRef>();
        const { value: inputs } = await loadOutputs(deps.store, runId, req.inputFrom, seen);
        const merged = runtime.combine(await params(deps, spec, req, inputs), inputs);
        // Inputs passed on whole keep their reference; anything new and large becomes a blob of its own.
        const output = deps.store.blobs.restoreBlobRefs(merged, seen);
        const encoded = await deps.store.blobs.encodeValue(output, { runId, nodeId: node.id, field: 'output' });
        return { output: encoded.ref ?? output };
      }
      throw permanent(`${node.type}@${node.version} is a "${runtime.kind}" node, not a branch or merge`);
    } catch (err) {
      throw toApplicationFailure(describeNodeError(err));
    }
  };
}

/** A worker that does not know the node as the plan does cannot fix that by retrying. */
function permanent(message: string): Error {
  return Object.assign(new Error(`${message}; deploy a worker with the plan's node versions`), {
    code: 'unknown-type',
    retryable: false,
  });
}

function params(deps: ActivityDeps, spec: NodeSpec, req: EvaluateControlInput, input: unknown) {
  return expressionScope(deps.store, req, input).then((scope) => resolveParams(spec, req.node.params, scope));
}
