// Starts a run on a schedule: a cron expression with seconds, or a fixed interval. Publishing a version whose trigger
// this is creates a Temporal Schedule from its `schedule` binding (temporal/schedules.ts); the Schedule starts the
// runs, so they fire while no Baton web process is up. Params are never expressions: the server reads them once.
import { z } from 'zod';
import { ParamError } from '../../ir/errors';
import { defineNode, param, type ParamDef, type ParamsOf } from '../define';
import type { ScheduleOverlap, ScheduleSettings } from '../triggers';
import { CRON_FORMAT, CronError, parseCron } from './cron';
import { fireTimes } from './fire-times';
import { canonicalTimeZone, DATE_TIME_HINT, isTimeZone, parseDateTime } from './zoned-time';

export const SCHEDULE_MODES = ['cron', 'interval'] as const;
export const INTERVAL_UNITS = ['seconds', 'minutes', 'hours', 'days'] as const;
type IntervalUnit = (typeof INTERVAL_UNITS)[number];
const UNIT_SECONDS: Record<IntervalUnit, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86_400 };
const OVERLAPS = ['skip', 'bufferOne', 'allowAll'] as const satisfies readonly ScheduleOverlap[];

/** A text param whose value must also pass `check`, which returns what is wrong with it. */
function checked(def: ParamDef<string>, check: (value: string) => string | undefined): ParamDef<string> {
  const schema = def.schema.superRefine((value, ctx) => {
    const problem = check(value);
    if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
  });
  return { ...def, schema };
}

function cronProblem(value: string): string | undefined {
  try {
    parseCron(value);
    return undefined;
  } catch (err) {
    if (err instanceof CronError) return err.message;
    throw err;
  }
}

const dateParam = (label: string, description: string) =>
  checked(param.text({ label, description, placeholder: '2027-01-31T09:00', expression: false, maxLength: 40 }), (v) =>
    v.trim() === '' || parseDateTime(v, 'UTC') ? undefined : `must be ${DATE_TIME_HINT}`,
  );

const params = {
  mode: param.select({
    label: 'Fire',
    values: SCHEDULE_MODES,
    options: [
      { value: 'cron', label: 'On a cron expression' },
      { value: 'interval', label: 'Every fixed interval' },
    ],
    placeholder: 'cron',
    default: 'cron',
    expression: false,
  }),
  cron: checked(
    param.text({
      showWhen: { param: 'mode', oneOf: ['cron'] },
      label: 'Cron expression',
      description:
        `Six fields: ${CRON_FORMAT} (e.g. "0 30 9 * * MON-FRI"), or five without the seconds. ` +
        'Day of month and day of week must both match. Times the clock skips when daylight saving starts do not fire.',
      placeholder: '0 */15 * * * *',
      default: '0 0 9 * * *',
      expression: false,
      maxLength: 200,
    }),
    cronProblem,
  ),
  every: param.number({
    showWhen: { param: 'mode', oneOf: ['interval'] },
    label: 'Every',
    description: 'Counted from 1970-01-01 00:00 UTC, so every 1 hour fires on the hour. Use cron for local times.',
    placeholder: '15',
    default: 15,
    min: 1,
    max: 1000,
    int: true,
    expression: false,
  }),
  unit: param.select({
    showWhen: { param: 'mode', oneOf: ['interval'] },
    label: 'Unit',
    values: INTERVAL_UNITS,
    options: INTERVAL_UNITS.map((u) => ({ value: u, label: u })),
    placeholder: 'minutes',
    default: 'minutes',
    expression: false,
  }),
  timeZone: checked(
    param.text({
      label: 'Time zone',
      description: 'IANA name the cron expression and dates without an offset are read in.',
      placeholder: 'Europe/Berlin',
      default: 'UTC',
      expression: false,
      maxLength: 64,
    }),
    (v) => (isTimeZone(v) ? undefined : 'is not a known time zone; use an IANA name such as Europe/Berlin or UTC'),
  ),
  jitterMs: param.number({
    label: 'Jitter (ms)',
    description: 'Delays each run by a random time up to this, so many schedules do not all start at once.',
    placeholder: '0',
    default: 0,
    min: 0,
    max: 3_600_000,
    int: true,
    expression: false,
  }),
  overlap: param.select({
    label: 'When the last run is still running',
    values: OVERLAPS,
    options: [
      { value: 'skip', label: 'Skip this run' },
      { value: 'bufferOne', label: 'Start it when the last one ends (keep one waiting)' },
      { value: 'allowAll', label: 'Start it anyway (runs overlap)' },
    ],
    placeholder: 'skip',
    default: 'skip',
    expression: false,
  }),
  startAt: dateParam('Start date', 'No run before it. Empty: from publishing on.'),
  endAt: dateParam('End date', 'No run after it. Empty: no end.'),
};

/** Absent keys are possible: plans frozen before a param existed lack it. */
type Params = Partial<ParamsOf<typeof params>>;

export const spec = defineNode({
  type: 'schedule-trigger',
  version: 1,
  title: 'Schedule',
  description: 'Start the workflow on a cron schedule or at a fixed interval, once published.',
  category: 'trigger',
  icon: 'calendar',
  inputs: [],
  outputs: [{ id: 'out', label: 'Output' }],
  params,
  runtime: {
    kind: 'trigger',
    binding: 'schedule',
    // A run from the Run button fires now, so a test run sees the payload a scheduled one would.
    manualPayload: () => {
      const now = new Date().toISOString();
      return { scheduledAt: now, firedAt: now, manual: true };
    },
    schedule: { settings: scheduleSettings, fireTimes },
  },
});

function date(p: Params, key: 'startAt' | 'endAt', timeZone: string): Date | undefined {
  const text = p[key]?.trim();
  if (!text) return undefined;
  const parsed = parseDateTime(text, timeZone);
  if (!parsed) throw new ParamError([key], `must be ${DATE_TIME_HINT}`);
  return parsed;
}

/** The schedule the params describe. Throws ParamError naming the param, for what the params' schemas cannot see. */
export function scheduleSettings(p: Params): ScheduleSettings {
  const timeZone = canonicalTimeZone(p.timeZone ?? 'UTC');
  if (!timeZone) throw new ParamError(['timeZone'], `"${p.timeZone}" is not a known time zone`);
  let timing: ScheduleSettings['timing'];
  if ((p.mode ?? 'cron') === 'cron') {
    const expression = (p.cron ?? params.cron.default!).trim();
    try {
      timing = { kind: 'cron', expression, fields: parseCron(expression) };
    } catch (err) {
      if (err instanceof CronError) throw new ParamError(['cron'], err.message);
      throw err;
    }
  } else {
    timing = { kind: 'interval', everySeconds: (p.every ?? 15) * UNIT_SECONDS[p.unit ?? 'minutes'] };
  }
  const startAt = date(p, 'startAt', timeZone);
  const endAt = date(p, 'endAt', timeZone);
  if (startAt && endAt && endAt <= startAt)
    throw new ParamError(
      ['endAt'],
      `must be after the start date (${startAt.toISOString()}); it is ${endAt.toISOString()}`,
    );
  return {
    timing,
    timeZone,
    jitterMs: p.jitterMs ?? 0,
    overlap: p.overlap ?? 'skip',
    ...(startAt ? { startAt } : {}),
    ...(endAt ? { endAt } : {}),
  };
}
