// Formats dates and does calendar arithmetic in IANA time zones. Reads the clock only for "now", so it may
// run again harmlessly: it joins chains of pure nodes (localWhen) without claiming to be pure.
import { z } from 'zod';
import { defineNode, param } from '../define';
import { fieldPathProblem } from '../set-fields/apply';
import { DURATION_UNITS, PERIODS, WEEK_STARTS } from './calendar';
import { FORMAT_TOKENS, formatProblem } from './format';
import { zoneProblem } from './zone';

export const OPERATIONS = ['format', 'add', 'subtract', 'difference', 'convert', 'startOf', 'endOf'] as const;

const refined =
  <T>(problem: (value: T) => string | undefined) =>
  (value: T, ctx: z.RefinementCtx) => {
    const message = problem(value);
    if (message) ctx.addIssue({ code: z.ZodIssueCode.custom, message });
  };

const timezone = param.text({
  label: 'Timezone',
  description: 'IANA name. Dates are formatted, and days, weeks, months and years counted, on this zone’s clock.',
  placeholder: 'Europe/Berlin',
  default: 'UTC',
  maxLength: 64,
});

const format = param.text({
  label: 'Format',
  description:
    `ISO for ISO 8601 with the zone’s offset, or a pattern of ${FORMAT_TOKENS.join(', ')} (year, month, day, ` +
    "hour 00–23, minute, second, millisecond, offset). Quote other letters: yyyy-MM-dd 'at' HH:mm.",
  placeholder: 'yyyy-MM-dd HH:mm',
  default: 'ISO',
  maxLength: 256,
  showWhen: { param: 'operation', oneOf: ['format', 'add', 'subtract', 'startOf', 'endOf'] },
});

const outputField = param.text({
  label: 'Output field',
  description: 'Where the result goes in the input object (dotted paths nest). A non-object input is replaced by it.',
  placeholder: 'date',
  default: 'date',
  maxLength: 256,
});

const dateHelp =
  'ISO 8601 ("2024-03-31T10:00:00Z"; without an offset, a time on the Timezone’s clock), epoch milliseconds, or now.';

export const spec = defineNode({
  type: 'date-time',
  version: 1,
  title: 'Date & time',
  description: 'Format a date, add or subtract time, compare dates, or convert between time zones.',
  category: 'core',
  icon: 'clock',
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [{ id: 'out', label: 'Output' }],
  params: {
    operation: param.select({
      label: 'Operation',
      placeholder: 'format',
      values: OPERATIONS,
      options: [
        { value: 'format', label: 'Format a date' },
        { value: 'add', label: 'Add to a date' },
        { value: 'subtract', label: 'Subtract from a date' },
        { value: 'difference', label: 'Time between two dates' },
        { value: 'convert', label: 'Convert to a timezone (ISO with its offset)' },
        { value: 'startOf', label: 'Start of a period' },
        { value: 'endOf', label: 'End of a period' },
      ],
      default: 'format',
      expression: false,
    }),
    // Required with no default: an expression over a missing field must fail, not quietly become "now".
    date: param.anyValue({ label: 'Date', description: dateHelp, placeholder: 'now', required: true, maxLength: 256 }),
    timezone: { ...timezone, schema: timezone.schema.superRefine(refined(zoneProblem)) },
    format: { ...format, schema: format.schema.superRefine(refined(formatProblem)) },
    amount: param.number({
      label: 'Amount',
      description: 'How many units; days and larger need a whole number.',
      placeholder: '1',
      default: 1,
      showWhen: { param: 'operation', oneOf: ['add', 'subtract'] },
    }),
    unit: param.select({
      label: 'Unit',
      description: 'Hours and smaller are elapsed time; days and larger follow the calendar (DST-aware).',
      placeholder: 'days',
      values: DURATION_UNITS,
      options: DURATION_UNITS.map((value) => ({ value, label: value[0].toUpperCase() + value.slice(1) })),
      default: 'days',
      expression: false,
      showWhen: { param: 'operation', oneOf: ['add', 'subtract', 'difference'] },
    }),
    otherDate: param.anyValue({
      label: 'Second date',
      description: `The result is second date − date in whole units, negative when it is earlier. ${dateHelp}`,
      placeholder: '{{ $input.endsAt }}',
      maxLength: 256,
      showWhen: { param: 'operation', oneOf: ['difference'] },
    }),
    period: param.select({
      label: 'Period',
      placeholder: 'day',
      values: PERIODS,
      options: PERIODS.map((value) => ({ value, label: value[0].toUpperCase() + value.slice(1) })),
      default: 'day',
      expression: false,
      showWhen: { param: 'operation', oneOf: ['startOf', 'endOf'] },
    }),
    weekStart: param.select({
      label: 'Weeks start on',
      placeholder: 'monday',
      values: WEEK_STARTS,
      options: [
        { value: 'monday', label: 'Monday (ISO 8601)' },
        { value: 'sunday', label: 'Sunday' },
      ],
      default: 'monday',
      expression: false,
      showWhen: { param: 'operation', oneOf: ['startOf', 'endOf'] },
    }),
    outputField: { ...outputField, schema: outputField.schema.superRefine(refined(fieldPathProblem)) },
  },
  runtime: { kind: 'activity', taskQueue: 'default', localWhen: () => true },
});
