// "Tag run" (NodePolicy.tags): once a node has succeeded, each of its tag rules' value templates is evaluated with
// the node's output as the expression input (`$` is the output) into the run's tags (contracts/run-tags.ts). Tags
// are metadata: a rule that fails to evaluate, or yields nothing, is skipped with a warning and never fails the node.
// The activities (standard runs) and express runs both evaluate them here.
import type { TagRule } from '../contracts/run-tags';
import { tagKeyProblem, tagValueText } from '../contracts/run-tags';
import { EvalBudget, resolveTemplates, type ExpressionScope } from './expression';
import type { PlanNode } from './types';

export const tagRulesOf = (node: PlanNode): TagRule[] => node.policy.tags ?? [];

/** A stand-in node whose params are its tag rules: scopes that load `$trigger` only when params mention it read these. */
export const tagRulesAsParams = (node: PlanNode): PlanNode => ({ ...node, params: { tags: tagRulesOf(node) } });

/** The node's tags over `output`, key → text; rules with a bad key, an error or an empty value are left out. */
export async function evaluateRunTags(node: PlanNode, scope: ExpressionScope): Promise<Record<string, string>> {
  const tags: Record<string, string> = {};
  const budget = new EvalBudget();
  for (const { key, value } of tagRulesOf(node)) {
    const problem = tagKeyProblem(key);
    if (problem) {
      console.warn(`Tag run on node "${node.name}" (${node.id}): key ${JSON.stringify(key)} ${problem}; skipped.`);
      continue;
    }
    try {
      const text = tagValueText(await resolveTemplates(value, scope, ['tags', key], budget));
      if (text !== undefined) tags[key] = text;
    } catch (err) {
      console.warn(`Tag run on node "${node.name}" (${node.id}): tag "${key}" was not set: ${(err as Error).message}`);
    }
  }
  return tags;
}
