// The Date & time node's output: one operation on the Date param, its result put in the output field.
import type { ParamsOf } from '../define';
import { NodeError } from '../errors';
import { withResult } from '../set-fields/apply';
import { addDuration, difference, endOf, startOf } from './calendar';
import { ISO_FORMAT, formatInstant } from './format';
import { checkedRange, parseDate } from './parse';
import type { spec } from './spec';
import { checkedZone } from './zone';

export type DateTimeParams = ParamsOf<typeof spec.params>;

const PARAM_INVALID = { code: 'param-invalid', retryable: false };

/** The operation's result: a formatted date (text) or, for `difference`, a number. */
export function dateTimeResult(params: DateTimeParams, now: () => number): string | number {
  const zone = checkedZone(params.timezone ?? 'UTC');
  const date = parseDate(params.date, zone, 'Date', now);
  const pattern = params.format ?? ISO_FORMAT;
  switch (params.operation) {
    case 'format':
      return formatInstant(date, zone, pattern);
    case 'convert':
      return formatInstant(date, zone, ISO_FORMAT);
    case 'add':
    case 'subtract': {
      const amount = params.amount ?? 1;
      const moved = addDuration(date, params.operation === 'add' ? amount : -amount, params.unit, zone);
      return formatInstant(
        checkedRange(moved, `Date ${params.operation === 'add' ? '+' : '−'} ${amount} ${params.unit}`),
        zone,
        pattern,
      );
    }
    case 'difference': {
      if (params.otherDate === undefined || params.otherDate === null || params.otherDate === '') {
        throw new NodeError(
          'Date & time: "difference" needs a Second date (its expression may have produced nothing)',
          PARAM_INVALID,
        );
      }
      return difference(date, parseDate(params.otherDate, zone, 'Second date', now), params.unit, zone);
    }
    case 'startOf':
      return formatInstant(startOf(date, params.period, zone, params.weekStart), zone, pattern);
    case 'endOf':
      return formatInstant(endOf(date, params.period, zone, params.weekStart), zone, pattern);
  }
}

/** The input object with the result at the output field, or the result alone when the input is not an object. */
export function dateTime(params: DateTimeParams, input: unknown, now: () => number): unknown {
  const result = dateTimeResult(params, now);
  return withResult(input, params.outputField || 'date', result);
}
