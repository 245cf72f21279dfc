// A node's effective retry/timeout policy: Baton defaults ← the spec's defaults ← the document's overrides.
import { defaultPolicy, type NodePolicy, type NodeSpec } from '../nodes/define';

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
  return { policy, problems };
}
