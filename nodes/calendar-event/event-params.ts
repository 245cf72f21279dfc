// The event's params, shared by the Calendar event (CalDAV) and Calendar invite (email) nodes: one form, one set of
// checks (event.ts). Required-ness is checked by event.ts and the specs' `check`, since CalDAV needs them only to
// create or update.
import { z } from 'zod';
import { param, type ParamProblem, type ShowWhen } from '../define';
import { zoneProblem } from '../date-time/zone';

const timeHelp =
  'ISO 8601: "2026-01-05T09:00" is a time on the Time zone’s clock, "2026-01-05T08:00:00Z" an exact instant.';

export function eventParams(showWhen?: ShowWhen) {
  const when = showWhen ? { showWhen } : {};
  const timeZone = param.text({
    label: 'Time zone',
    description: 'IANA name. Start and end times without an offset are read on this zone’s clock.',
    placeholder: 'Europe/Berlin',
    default: 'UTC',
    maxLength: 64,
    ...when,
  });
  return {
    title: param.text({
      label: 'Title',
      placeholder: 'First day: welcome, {{ $input.name }}',
      maxLength: 998,
      ...when,
    }),
    start: param.anyValue({
      label: 'Start',
      description: `${timeHelp} For an all-day event, the first day.`,
      placeholder: '{{ $input.startDate }}T09:00',
      maxLength: 256,
      ...when,
    }),
    end: param.anyValue({
      label: 'End',
      description: `${timeHelp} For an all-day event, the last day (included).`,
      placeholder: '{{ $input.startDate }}T10:00',
      maxLength: 256,
      ...when,
    }),
    timeZone: {
      ...timeZone,
      schema: timeZone.schema.superRefine((zone, ctx) => {
        const problem = zone === '' ? undefined : zoneProblem(zone);
        if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
      }),
    },
    allDay: param.boolean({
      label: 'All day',
      description: 'Whole days, without times: a day off, a holiday.',
      placeholder: 'false',
      default: false,
      ...when,
    }),
    location: param.text({ label: 'Location', placeholder: 'Head office, room 2', maxLength: 1024, ...when }),
    description: param.textarea({
      label: 'Description',
      placeholder: 'Please bring your ID. {{ $input.manager }} will meet you at reception.',
      maxLength: 64 * 1024,
      ...when,
    }),
    attendees: param.anyValue({
      label: 'Attendees',
      description: 'Addresses separated by commas, or a list of addresses or { name, address } objects.',
      placeholder: '{{ $input.email }}, {{ $input.managerEmail }}',
      maxLength: 64 * 1024,
      ...when,
    }),
  };
}

/** Params a step needs filled in (as written: expressions count as filled), named as the compiler names params. */
export function missingParams(
  params: Record<string, unknown>,
  keys: ReadonlyArray<readonly [key: string, label: string]>,
  why: string,
): ParamProblem[] {
  const blank = (value: unknown) => value === undefined || value === null || String(value).trim() === '';
  return keys
    .filter(([key]) => blank(params[key]))
    .map(([key, label]) => ({
      path: [key],
      message: `Param "${key}" (${label}) is required ${why}`,
      incomplete: true,
    }));
}
