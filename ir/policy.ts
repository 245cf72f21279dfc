// A node's effective retry/timeout policy: Baton defaults ← the spec's defaults ← the document's overrides.
import { defaultPolicy, type NodePolicy, type NodeSpec } from '../nodes/define';
import { TAG_LIMITS, tagKeyProblem } from '../contracts/run-tags';
import { applyDefaults } from './params';

export const POLICY_BOUNDS = {
  maximumAttempts: { min: 1, max: 10 },
  initialIntervalMs: { min: 0, max: 3_600_000 },
  backoffCoefficient: { min: 1, max: 100 },
  timeoutMs: { min: 1000, max: 86_400_000 },
} as const;

export interface PolicyProblem {
  path: string[];
  message: string;
}

function merge(base: NodePolicy, over: Partial<NodePolicy> | undefined): NodePolicy {
  if (!over) return base;
  return {
    retry: { ...base.retry, ...(over.retry ?? {}) },
    timeoutMs: over.timeoutMs ?? base.timeoutMs,
    continueOnFail: over.continueOnFail ?? base.continueOnFail,
    ...((over.errorOutput ?? base.errorOutput) ? { errorOutput: true } : {}),
    ...(over.tags?.length ? { tags: over.tags.map(({ key, value }) => ({ key, value })) } : {}),
  };
}

export function resolvePolicy(
  spec: NodeSpec,
  override?: Partial<NodePolicy>,
): { policy: NodePolicy; problems: PolicyProblem[] } {
  const policy = merge(merge(defaultPolicy, spec.policy), override);
  const problems: PolicyProblem[] = [];
  const check = (path: string[], value: number, bounds: { min: number; max: number }) => {
    if (!Number.isFinite(value) || value < bounds.min || value > bounds.max) {
      problems.push({
        path,
        message: `Policy ${path.join('.')} must be between ${bounds.min} and ${bounds.max} (got ${value})`,
      });
    }
  };
  check(['retry', 'maximumAttempts'], policy.retry.maximumAttempts, POLICY_BOUNDS.maximumAttempts);
  check(['retry', 'initialIntervalMs'], policy.retry.initialIntervalMs, POLICY_BOUNDS.initialIntervalMs);
  check(['retry', 'backoffCoefficient'], policy.retry.backoffCoefficient, POLICY_BOUNDS.backoffCoefficient);
  check(['timeoutMs'], policy.timeoutMs, POLICY_BOUNDS.timeoutMs);
  const tags = policy.tags ?? [];
  if (tags.length > TAG_LIMITS.perNode)
    problems.push({ path: ['tags'], message: `Tag run takes at most ${TAG_LIMITS.perNode} tags (got ${tags.length})` });
  const seen = new Set<string>();
  tags.forEach(({ key, value }, i) => {
    const problem = tagKeyProblem(key);
    const shown = JSON.stringify(String(key).slice(0, 60));
    if (problem) problems.push({ path: ['tags', String(i), 'key'], message: `Tag key ${shown} ${problem}` });
    else if (seen.has(key))
      problems.push({ path: ['tags', String(i), 'key'], message: `Tag key ${shown} is set twice` });
    seen.add(key);
    if (typeof value !== 'string' || value.trim() === '')
      problems.push({ path: ['tags', String(i), 'value'], message: `Tag ${shown} has no value expression` });
    else if (value.length > TAG_LIMITS.templateLength)
      problems.push({
        path: ['tags', String(i), 'value'],
        message: `Tag ${shown}'s value is longer than ${TAG_LIMITS.templateLength} characters`,
      });
  });
  return { policy, problems };
}

/** The policy with the time the runner may wait for people added to its timeout (a Browser node's takeover). */
export function withPeopleTime(spec: NodeSpec, params: Record<string, unknown>, policy: NodePolicy): NodePolicy {
  const extra = spec.runtime.kind === 'activity' ? (spec.runtime.peopleTimeMs?.(applyDefaults(spec, params)) ?? 0) : 0;
  return extra > 0 ? { ...policy, timeoutMs: policy.timeoutMs + extra } : policy;
}
