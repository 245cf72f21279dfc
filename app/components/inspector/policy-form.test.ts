// The settings form's rules: what "On error" writes, which overrides a cleared field drops, the bounds and units,
// and that what the form writes is what the compiler accepts and resolves.
import { compilePlan } from '../../../ir/compile';
import { resolvePolicy } from '../../../ir/policy';
import { parseDocument } from '../../../ir/schema';
import type { WorkflowDocument } from '../../../ir/types';
import { defaultPolicy } from '../../../nodes/define';
import { describeSpec, registry } from '../../../nodes/index';
import {
  POLICY_NUMBER_FIELDS,
  formatDuration,
  onErrorOf,
  parsePolicyNumber,
  placeholderFor,
  policyFieldOf,
  policyPathOf,
  retrySummary,
  toDisplay,
  withOnError,
  withPolicyNumber,
  type PolicyOverride,
} from './policy-form';

const field = (key: string) => POLICY_NUMBER_FIELDS.find((f) => f.key === key)!;
const http = registry.latest('http-request')!;
const httpDefaults = describeSpec(http).policy;

describe('On error', () => {
  test('each choice writes only what differs from the defaults, and reads back as chosen', () => {
    expect(withOnError(undefined, 'stop', defaultPolicy)).toBeUndefined();
    expect(withOnError(undefined, 'continue', defaultPolicy)).toEqual({ continueOnFail: true });
    expect(withOnError({ continueOnFail: true }, 'errorOutput', defaultPolicy)).toEqual({ errorOutput: true });
    expect(withOnError({ errorOutput: true, timeoutMs: 5000 }, 'stop', defaultPolicy)).toEqual({ timeoutMs: 5000 });
    for (const mode of ['stop', 'continue', 'errorOutput'] as const) {
      expect(onErrorOf(withOnError({ continueOnFail: true }, mode, defaultPolicy), defaultPolicy)).toBe(mode);
    }
  });

  test('a spec that continues by default gets explicit overrides to stop or to use the error output', () => {
    const continues = { ...defaultPolicy, continueOnFail: true };
    expect(onErrorOf(undefined, continues)).toBe('continue');
    expect(withOnError(undefined, 'stop', continues)).toEqual({ continueOnFail: false });
    expect(withOnError(undefined, 'errorOutput', continues)).toEqual({ continueOnFail: false, errorOutput: true });
    expect(withOnError({ continueOnFail: false }, 'continue', continues)).toBeUndefined();
  });

  test('the compiler resolves what each choice writes to the behaviour it names', () => {
    const resolved = (mode: 'stop' | 'continue' | 'errorOutput') =>
      resolvePolicy(http, withOnError(undefined, mode, httpDefaults) as never).policy;
    expect(resolved('stop')).toMatchObject({ continueOnFail: false });
    expect(resolved('stop').errorOutput).toBeUndefined();
    expect(resolved('continue')).toMatchObject({ continueOnFail: true });
    expect(resolved('errorOutput')).toMatchObject({ continueOnFail: false, errorOutput: true });
  });
});

describe('retry and timeout numbers', () => {
  test('setting and clearing fields adds and removes overrides, down to no policy at all', () => {
    let policy: PolicyOverride | undefined = withPolicyNumber(undefined, 'maximumAttempts', 5);
    policy = withPolicyNumber(policy, 'timeoutMs', 30_000);
    expect(policy).toEqual({ retry: { maximumAttempts: 5 }, timeoutMs: 30_000 });
    policy = withPolicyNumber(policy, 'backoffCoefficient', 1.5);
    expect(policy).toEqual({ retry: { maximumAttempts: 5, backoffCoefficient: 1.5 }, timeoutMs: 30_000 });
    policy = withPolicyNumber(policy, 'maximumAttempts', undefined);
    policy = withPolicyNumber(policy, 'backoffCoefficient', undefined);
    expect(policy).toEqual({ timeoutMs: 30_000 });
    expect(withPolicyNumber(policy, 'timeoutMs', undefined)).toBeUndefined();
    expect(
      withPolicyNumber({ errorOutput: true, retry: { initialIntervalMs: 0 } }, 'initialIntervalMs', undefined),
    ).toEqual({ errorOutput: true });
  });

  test('durations are typed in seconds and stored in whole milliseconds', () => {
    expect(parsePolicyNumber(field('timeoutMs'), '30')).toEqual({ ok: true, value: 30_000 });
    expect(parsePolicyNumber(field('initialIntervalMs'), ' 0.25 ')).toEqual({ ok: true, value: 250 });
    expect(parsePolicyNumber(field('initialIntervalMs'), '0.0004')).toEqual({ ok: true, value: 0 });
    expect(parsePolicyNumber(field('timeoutMs'), '')).toEqual({ ok: true, value: undefined });
    expect(toDisplay(field('initialIntervalMs'), 300)).toBe('0.3');
    expect(toDisplay(field('timeoutMs'), undefined)).toBe('');
    expect(placeholderFor(field('timeoutMs'), httpDefaults)).toBe(String(httpDefaults.timeoutMs / 1000));
    expect(placeholderFor(field('maximumAttempts'), httpDefaults)).toBe('3');
  });

  test('values outside the compiler’s bounds are refused with the range in the units shown', () => {
    expect(parsePolicyNumber(field('maximumAttempts'), '20')).toEqual({
      ok: false,
      message: 'Must be 1 to 10 attempts.',
    });
    expect(parsePolicyNumber(field('maximumAttempts'), '2.5')).toEqual({
      ok: false,
      message: 'Enter a whole number from 1 to 10.',
    });
    expect(parsePolicyNumber(field('timeoutMs'), '0.5')).toEqual({
      ok: false,
      message: 'Must be 1 to 86,400 seconds.',
    });
    expect(parsePolicyNumber(field('backoffCoefficient'), '0.5')).toEqual({ ok: false, message: 'Must be 1 to 100.' });
    expect(parsePolicyNumber(field('initialIntervalMs'), 'soon')).toEqual({
      ok: false,
      message: 'Enter a number from 0 to 3,600 seconds.',
    });
  });

  test('every value the form accepts at the edges of the bounds passes the document schema and the compiler', () => {
    let policy: PolicyOverride | undefined;
    for (const [key, text] of [
      ['maximumAttempts', '10'],
      ['initialIntervalMs', '0'],
      ['backoffCoefficient', '100'],
      ['timeoutMs', '86400'],
    ] as const) {
      const parsed = parsePolicyNumber(field(key), text);
      if (!parsed.ok) throw new Error(`${key} ${text}: ${parsed.message}`);
      policy = withPolicyNumber(policy, key, parsed.value);
    }
    policy = withOnError(policy, 'errorOutput', httpDefaults);
    const doc: WorkflowDocument = {
      nodes: [
        {
          id: 't',
          type: 'manual-trigger',
          version: 1,
          name: 'Start',
          position: { x: 0, y: 0 },
          params: {},
        },
        {
          id: 'h',
          type: 'http-request',
          version: http.version,
          name: 'Call',
          position: { x: 200, y: 0 },
          params: { url: 'https://example.test/' },
          policy: policy as WorkflowDocument['nodes'][number]['policy'],
        },
      ],
      edges: [{ id: 'e1', source: 't', sourcePort: 'out', target: 'h', targetPort: 'in' }],
      settings: {},
    };
    const parsed = parseDocument(doc);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
    const compiled = compilePlan(parsed.doc, { workflowId: 'wf', name: 'Bounds' });
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.diagnostics));
    expect(compiled.plan.nodes.h.policy).toEqual({
      retry: { maximumAttempts: 10, initialIntervalMs: 0, backoffCoefficient: 100 },
      timeoutMs: 86_400_000,
      continueOnFail: false,
      errorOutput: true,
    });
  });
});

test('the retry summary spells out the waits, capped at 100 × the first', () => {
  expect(retrySummary(defaultPolicy.retry)).toBe('Up to 3 attempts, waiting 1 s, then 2 s.');
  expect(retrySummary({ maximumAttempts: 1, initialIntervalMs: 1000, backoffCoefficient: 2 })).toBe(
    'One attempt: the first failure is final.',
  );
  expect(retrySummary({ maximumAttempts: 4, initialIntervalMs: 0, backoffCoefficient: 2 })).toBe(
    'Up to 4 attempts, retrying at once.',
  );
  expect(retrySummary({ maximumAttempts: 10, initialIntervalMs: 500, backoffCoefficient: 10 })).toBe(
    'Up to 10 attempts, waiting 500 ms, then 5 s, then 50 s, then 50 s, …',
  );
  expect(formatDuration(90_000)).toBe('1.5 min');
  expect(formatDuration(7_200_000)).toBe('2 h');
});

test('compiler diagnostics are routed to the field their path names', () => {
  expect(policyPathOf(['nodes', 3, 'policy', 'retry', 'maximumAttempts'])).toEqual(['retry', 'maximumAttempts']);
  expect(policyPathOf(['nodes', 3, 'params', 'url'])).toBeUndefined();
  expect(policyFieldOf(['retry', 'maximumAttempts'])).toBe('maximumAttempts');
  expect(policyFieldOf(['timeoutMs'])).toBe('timeoutMs');
  expect(policyFieldOf(['retry'])).toBe('general');
  expect(policyFieldOf([])).toBe('general');
});
