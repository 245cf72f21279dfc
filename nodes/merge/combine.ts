// How the Merge node joins the outputs of the branches that reached it. Pure: runs inside the workflow.
import { NodeError } from '../errors';

export const MERGE_MODES = ['append', 'combine', 'first'] as const;
export type MergeMode = (typeof MERGE_MODES)[number];

/**
 * `inputs` are the outputs of the active incoming edges, in the plan's edge order (the document's edge order).
 * append → the array of inputs; combine → shallow merge of objects, later edges win; first → the first input.
 */
export function combineInputs(mode: MergeMode, inputs: unknown[]): unknown {
  switch (mode) {
    case 'append':
      return [...inputs];
    case 'first':
      return inputs[0] ?? null;
    case 'combine': {
      const out: Record<string, unknown> = {};
      inputs.forEach((input, i) => {
        if (input === null || input === undefined) return;
        if (typeof input !== 'object' || Array.isArray(input)) {
          throw new NodeError(
            `Merge (combine) expects objects, but input ${i + 1} is ${Array.isArray(input) ? 'an array' : typeof input}; use "append" to collect any values`,
            { code: 'merge-input', retryable: false },
          );
        }
        for (const [key, value] of Object.entries(input)) {
          Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
        }
      });
      return out;
    }
  }
}
