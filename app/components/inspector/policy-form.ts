// The node settings form's model: a node's policy overrides (DocumentNode.policy) ↔ what the form shows. Pure, so
// the rules (what "On error" writes, which overrides a cleared field drops, the bounds) are tested on their own.
import type { NodePolicy, RetryPolicy } from '../../../nodes/define';
import { POLICY_BOUNDS } from '../../../ir/policy';

/**
 * A node's policy overrides as the document schema accepts them (ir/schema.ts), retry numbers one by one.
 * `DocumentNode.policy` is typed `Partial<NodePolicy>`, whose `retry` wants all three; the compiler merges each.
 */
export type PolicyOverride = Omit<Partial<NodePolicy>, 'retry'> & { retry?: Partial<RetryPolicy> };

/** What happens after a node's last attempt fails. */
export type OnError = 'stop' | 'continue' | 'errorOutput';

export function onErrorOf(override: PolicyOverride | undefined, defaults: NodePolicy): OnError {
  const errorOutput = override?.errorOutput ?? defaults.errorOutput ?? false;
  if (errorOutput) return 'errorOutput';
  return (override?.continueOnFail ?? defaults.continueOnFail) ? 'continue' : 'stop';
}

/**
 * The override with `mode` chosen. `continueOnFail` equal to the spec's default is dropped rather than written, so
 * a document records only what its author changed (a plain "stop" node saves no policy at all). `errorOutput:
 * true` is always written: the canvas and the compiler give a node its error output from the document's policy.
 */
export function withOnError(
  override: PolicyOverride | undefined,
  mode: OnError,
  defaults: NodePolicy,
): PolicyOverride | undefined {
  const { continueOnFail: _c, errorOutput: _e, ...rest } = override ?? {};
  const next: PolicyOverride = rest;
  const continueOnFail = mode === 'continue';
  if (continueOnFail !== defaults.continueOnFail) next.continueOnFail = continueOnFail;
  if (mode === 'errorOutput') next.errorOutput = true;
  else if (defaults.errorOutput) next.errorOutput = false;
  return emptyToUndefined(next);
}

export type PolicyNumberKey = 'maximumAttempts' | 'initialIntervalMs' | 'backoffCoefficient' | 'timeoutMs';

/** How one number of the policy is shown: durations in seconds, since nobody thinks of a timeout in milliseconds. */
export interface PolicyNumberField {
  key: PolicyNumberKey;
  label: string;
  /** Shown after the box. */
  unit: string;
  /** Stored value = shown value × scale. */
  scale: number;
  integer: boolean;
}

export const POLICY_NUMBER_FIELDS: readonly PolicyNumberField[] = [
  {
    key: 'maximumAttempts',
    label: 'Attempts',
    unit: 'in all',
    scale: 1,
    integer: true,
  },
  {
    key: 'initialIntervalMs',
    label: 'First retry after',
    unit: 's',
    scale: 1000,
    integer: false,
  },
  {
    key: 'backoffCoefficient',
    label: 'Backoff',
    unit: '×',
    scale: 1,
    integer: false,
  },
  {
    key: 'timeoutMs',
    label: 'Timeout',
    unit: 's',
    scale: 1000,
    integer: false,
  },
];

export function policyNumber(policy: PolicyOverride | undefined, key: PolicyNumberKey): number | undefined {
  return key === 'timeoutMs' ? policy?.timeoutMs : policy?.retry?.[key];
}

/** The override with one number set, or removed when `value` is undefined (the spec's default applies again). */
export function withPolicyNumber(
  override: PolicyOverride | undefined,
  key: PolicyNumberKey,
  value: number | undefined,
): PolicyOverride | undefined {
  const next: PolicyOverride = { ...override };
  if (key === 'timeoutMs') {
    if (value === undefined) delete next.timeoutMs;
    else next.timeoutMs = value;
  } else {
    const retry = { ...next.retry };
    if (value === undefined) delete retry[key];
    else retry[key] = value;
    if (Object.keys(retry).length) next.retry = retry;
    else delete next.retry;
  }
  return emptyToUndefined(next);
}

function emptyToUndefined(policy: PolicyOverride): PolicyOverride | undefined {
  return Object.keys(policy).length ? policy : undefined;
}

/** A stored value as the form shows it (seconds for durations), without float noise such as 0.30000000000000004. */
export function toDisplay(field: PolicyNumberField, stored: number | undefined): string {
  if (stored === undefined) return '';
  return String(Number((stored / field.scale).toPrecision(12)));
}

export type ParsedNumber = { ok: true; value: number | undefined } | { ok: false; message: string };

/**
 * What the person typed → the value to store, or why it cannot be stored. Empty means "no override". The bounds
 * are the compiler's (ir/policy.ts), stated in the units the form shows.
 */
export function parsePolicyNumber(field: PolicyNumberField, text: string): ParsedNumber {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, value: undefined };
  const shown = Number(trimmed);
  const bounds = POLICY_BOUNDS[field.key];
  const range = `${format(bounds.min / field.scale)} to ${format(bounds.max / field.scale)}`;
  const what = field.scale === 1000 ? ` seconds` : field.key === 'maximumAttempts' ? ' attempts' : '';
  if (!Number.isFinite(shown)) return { ok: false, message: `Enter a number from ${range}${what}.` };
  if (field.integer && !Number.isInteger(shown)) return { ok: false, message: `Enter a whole number from ${range}.` };
  // Durations are stored in whole milliseconds (the document schema wants integers).
  const value = field.scale === 1 ? shown : Math.round(shown * field.scale);
  if (value < bounds.min || value > bounds.max) return { ok: false, message: `Must be ${range}${what}.` };
  return { ok: true, value };
}

/** The spec's default as a placeholder, e.g. "60" for a 60 s timeout. */
export function placeholderFor(field: PolicyNumberField, defaults: NodePolicy): string {
  const value = field.key === 'timeoutMs' ? defaults.timeoutMs : defaults.retry[field.key];
  return toDisplay(field, value);
}

const format = (n: number) => n.toLocaleString('en');

/** The policy path a compiler diagnostic points at, relative to the node (e.g. ['retry', 'maximumAttempts']). */
export function policyPathOf(path: ReadonlyArray<string | number> | undefined): string[] | undefined {
  const i = path?.indexOf('policy') ?? -1;
  return i >= 0 ? path!.slice(i + 1).map(String) : undefined;
}

/** Which number field a policy path belongs to; anything else (a flag, the policy as a whole) is "general". */
export function policyFieldOf(path: readonly string[]): PolicyNumberKey | 'general' {
  const leaf = path[path.length - 1];
  return POLICY_NUMBER_FIELDS.some((f) => f.key === leaf) ? (leaf as PolicyNumberKey) : 'general';
}

/** "1.5 s", "2 min", "1 h": a policy duration as people say it. */
export function formatDuration(ms: number): string {
  const round = (n: number) => Number(n.toPrecision(3)).toLocaleString('en');
  if (ms < 1000) return `${round(ms)} ms`;
  if (ms < 60_000) return `${round(ms / 1000)} s`;
  if (ms < 3_600_000) return `${round(ms / 60_000)} min`;
  return `${round(ms / 3_600_000)} h`;
}

/**
 * What the retry numbers amount to, e.g. "Up to 3 attempts, waiting 1 s, then 2 s." Waits stop growing at 100 ×
 * the first one: Temporal's default maximum interval (the interpreter sets none).
 */
export function retrySummary(retry: NodePolicy['retry']): string {
  const attempts = retry.maximumAttempts;
  if (attempts <= 1) return 'One attempt: the first failure is final.';
  if (retry.initialIntervalMs === 0) return `Up to ${attempts} attempts, retrying at once.`;
  const shown = Math.min(attempts - 1, 4);
  const waits = Array.from({ length: shown }, (_, k) =>
    formatDuration(Math.min(retry.initialIntervalMs * retry.backoffCoefficient ** k, 100 * retry.initialIntervalMs)),
  );
  const end = attempts - 1 > shown ? ', …' : '.';
  return `Up to ${attempts} attempts, waiting ${waits.join(', then ')}${end}`;
}
