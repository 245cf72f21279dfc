// Problem counts per node, indexed once per diagnostics list: every canvas node reads its own count on every
// store change (each drag frame), so a scan of all diagnostics per node would cost nodes × diagnostics.
import type { Diagnostic } from '../../ir/types';

export interface NodeProblems {
  errors: number;
  warnings: number;
}

const NONE: NodeProblems = { errors: 0, warnings: 0 };
const indexes = new WeakMap<Diagnostic[], Map<string, NodeProblems>>();

export function nodeProblems(diagnostics: Diagnostic[], nodeId: string): NodeProblems {
  let index = indexes.get(diagnostics);
  if (!index) {
    index = new Map();
    for (const d of diagnostics) {
      if (!d.nodeId) continue;
      const counts = index.get(d.nodeId) ?? { errors: 0, warnings: 0 };
      if (d.severity === 'error') counts.errors++;
      else counts.warnings++;
      index.set(d.nodeId, counts);
    }
    indexes.set(diagnostics, index);
  }
  return index.get(nodeId) ?? NONE;
}
