// Waits inside the workflow, through any restart: for a duration, until a time, or until the run is resumed by
// its resume link (`$resumeUrl("Wait")`) or by the API, with an optional timeout that sends the input down the
// `timeout` output instead. The interpreter does the waiting (workflows/waits.ts); this spec says what to wait for.
import { defineNode, param, type WaitPlan } from '../define';
import { DELAY_UNITS, MAX_DELAY_MS, durationMs, type DelayUnit } from '../delay/spec';
import { NodeError } from '../errors';

export const WAIT_MODES = ['duration', 'until', 'webhook', 'signal'] as const;
export type WaitMode = (typeof WAIT_MODES)[number];

const EVENT_MODES = ['webhook', 'signal'] as const;

export interface WaitParams {
  mode: WaitMode;
  amount?: number;
  unit: DelayUnit;
  until?: unknown;
  timeoutAmount?: number;
  timeoutUnit: DelayUnit;
}

/** An instant from an ISO 8601 text (with a date) or epoch milliseconds; throws naming the param. */
export function instantOf(value: unknown): number {
  const ms =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value.trim())
        ? Date.parse(value.trim())
        : NaN;
  if (!Number.isFinite(ms)) {
    const shown = typeof value === 'string' ? `"${value.slice(0, 60)}"` : (JSON.stringify(value) ?? String(value));
    throw new NodeError(
      `Param "until": ${shown} is not a time; use an ISO 8601 date and time such as 2026-12-24T09:00:00Z, or epoch milliseconds`,
      { code: 'param-invalid', retryable: false },
    );
  }
  return ms;
}

export function waitPlan(params: WaitParams, nowMs: number): WaitPlan {
  switch (params.mode) {
    case 'duration':
      return { kind: 'timer', ms: durationMs({ amount: params.amount ?? 0, unit: params.unit }) };
    case 'until': {
      const ms = instantOf(params.until) - nowMs;
      if (ms > MAX_DELAY_MS)
        throw new NodeError('Param "until": the time is more than 365 days away', {
          code: 'param-invalid',
          retryable: false,
        });
      return { kind: 'timer', ms: Math.max(0, ms) };
    }
    case 'webhook':
    case 'signal':
      return {
        kind: 'event',
        source: params.mode,
        ...(params.timeoutAmount === undefined
          ? {}
          : { timeoutMs: durationMs({ amount: params.timeoutAmount, unit: params.timeoutUnit }) }),
      };
  }
}

export const spec = defineNode({
  type: 'wait',
  version: 1,
  title: 'Wait',
  description:
    'Pause the run for a while, until a time, or until its resume link or the API resumes it (with a timeout output).',
  category: 'flow',
  icon: 'hourglass',
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [{ id: 'out', label: 'Resumed' }],
  conditionalOutputs: [{ port: { id: 'timeout', label: 'Timed out' }, when: { param: 'mode', oneOf: EVENT_MODES } }],
  params: {
    mode: param.select({
      label: 'Wait',
      placeholder: 'duration',
      values: WAIT_MODES,
      options: [
        { value: 'duration', label: 'For a duration' },
        { value: 'until', label: 'Until a time' },
        { value: 'webhook', label: 'Until its resume link is called' },
        { value: 'signal', label: 'Until resumed through the API' },
      ],
      default: 'duration',
      expression: false,
    }),
    amount: param.number({
      label: 'Wait for',
      placeholder: '5',
      min: 0,
      max: MAX_DELAY_MS / 1000,
      default: 1,
      showWhen: { param: 'mode', oneOf: ['duration'] },
    }),
    unit: param.select({
      label: 'Unit',
      placeholder: 'minutes',
      values: DELAY_UNITS,
      options: DELAY_UNITS.map((u) => ({ value: u, label: u })),
      default: 'minutes',
      expression: false,
      showWhen: { param: 'mode', oneOf: ['duration'] },
    }),
    until: param.anyValue({
      label: 'Until',
      description:
        'An ISO 8601 date and time (2026-12-24T09:00:00Z) or epoch milliseconds. A time past goes on at once.',
      placeholder: '{{ $input.startDate }}',
      showWhen: { param: 'mode', oneOf: ['until'] },
    }),
    timeoutAmount: param.number({
      label: 'Time out after',
      description:
        'Empty: wait as long as it takes. Otherwise the input goes down "Timed out" when no resume came in time.',
      placeholder: '7',
      min: 0,
      max: MAX_DELAY_MS / 1000,
      showWhen: { param: 'mode', oneOf: EVENT_MODES },
    }),
    timeoutUnit: param.select({
      label: 'Timeout unit',
      placeholder: 'days',
      values: DELAY_UNITS,
      options: DELAY_UNITS.map((u) => ({ value: u, label: u })),
      default: 'days',
      expression: false,
      showWhen: { param: 'mode', oneOf: EVENT_MODES },
    }),
  },
  runtime: {
    kind: 'wait',
    plan: (params: WaitParams, nowMs: number) => waitPlan(params, nowMs),
    awaits: (params) => EVENT_MODES.find((mode) => mode === params.mode),
  },
});
