// Waits on a durable Temporal timer inside the workflow; the run survives restarts while it waits.
import { defineNode, param } from '../define';
import { NodeError } from '../errors';

export const DELAY_UNITS = ['seconds', 'minutes', 'hours', 'days'] as const;
export type DelayUnit = (typeof DELAY_UNITS)[number];

const UNIT_MS: Record<DelayUnit, number> = { seconds: 1000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 };
export const MAX_DELAY_MS = 365 * UNIT_MS.days;

/** Delay length in ms; throws when it exceeds 365 days. */
export function durationMs(params: { amount: number; unit: DelayUnit }): number {
  const ms = Math.round(params.amount * UNIT_MS[params.unit]);
  if (!(ms >= 0) || ms > MAX_DELAY_MS) {
    throw new NodeError(`Delay: ${params.amount} ${params.unit} is longer than the 365-day maximum`, {
      code: 'param-invalid',
      retryable: false,
    });
  }
  return ms;
}

export const spec = defineNode({
  type: 'delay',
  version: 1,
  title: 'Delay',
  description: 'Wait for a while before continuing. The input passes through unchanged.',
  category: 'flow',
  icon: 'clock',
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [{ id: 'out', label: 'Output' }],
  params: {
    amount: param.number({
      label: 'Wait for',
      placeholder: '5',
      min: 0,
      max: MAX_DELAY_MS / 1000,
      required: true,
      default: 1,
    }),
    unit: param.select({
      label: 'Unit',
      placeholder: 'minutes',
      values: DELAY_UNITS,
      options: DELAY_UNITS.map((u) => ({ value: u, label: u })),
      default: 'minutes',
      expression: false,
    }),
  },
  runtime: { kind: 'delay', durationMs },
});
