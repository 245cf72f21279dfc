// Temporal Schedules for schedule triggers, against the real Temporal server and a real worker: a schedule fires on
// its seconds and each run records its slot; pause stops it, resume restarts it without making up the pause, a
// backfill runs the missed slots; a slot started twice leaves its first run alone; and the fire times Baton computes
// (the editor's preview, backfill counts) are the ones Temporal computes, across daylight-saving changes too.
import type { RunView } from '../contracts/run-record';
import mongoose from 'mongoose';
import { getRunUnscoped } from '../db/runs';
import { nextFireTimes } from '../nodes/schedule-trigger/fire-times';
import { scheduleBindingOf, type ScheduleSettings } from '../nodes/triggers';
import { compileOrThrow, startRunHarness, workflowDoc, type RunHarness } from '../test/run-harness';
import { getTemporalClient } from './client';
import {
  backfillSchedule,
  deleteSchedule,
  describeSchedule,
  pauseSchedule,
  scheduledRunId,
  scheduledRunIdPrefix,
  scheduleIdOf,
  temporalSpecOf,
  unpauseSchedule,
  upsertSchedule,
} from './schedules';

let harness: RunHarness;
const workflowId = `wf-schedules-${process.pid}`;

beforeAll(async () => {
  harness = await startRunHarness('schedules');
  await harness.startWorker({ queues: ['default'] });
}, 180_000);

afterAll(async () => {
  await deleteSchedule(workflowId).catch(() => undefined);
  await harness?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function settingsOf(params: Record<string, unknown>): ScheduleSettings {
  return scheduleBindingOf({ type: 'schedule-trigger', version: 1 })!.settings(params);
}

const planFor = (cron: string) =>
  compileOrThrow(
    workflowDoc(
      [
        { id: 'tick', type: 'schedule-trigger', params: { cron } },
        { id: 'note', type: 'set-fields', params: { fields: { ran: 'yes' } } },
      ],
      [['tick', 'note']],
    ),
    workflowId,
  );

const payloadOf = (run: RunView) => run.trigger as { scheduledAt: string; firedAt: string };
const slotOf = (run: RunView) => Date.parse(payloadOf(run).scheduledAt);

/**
 * Every run the schedule started, with its trigger payload. Read from the collection: the test's workflow has no
 * document, so its runs belong to no workspace a scoped list could name.
 */
async function scheduledRuns(): Promise<RunView[]> {
  const ids = await mongoose.connection
    .db!.collection<{ _id: string }>('runs')
    .find({ workflowId }, { projection: { _id: 1 } })
    .toArray();
  const listed = ids.map((d) => d._id).filter((id) => id.startsWith(scheduledRunIdPrefix(workflowId)));
  return (await Promise.all(listed.map((id) => getRunUnscoped(id)))) as RunView[];
}

/** Waits until every slot has a finished run, and returns those runs. */
async function runsOfSlots(slots: Date[], timeoutMs = 30_000): Promise<RunView[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const runs = await Promise.all(slots.map((slot) => getRunUnscoped(scheduledRunId(workflowId, slot))));
    if (runs.every((r) => r?.status === 'succeeded')) return runs as RunView[];
    if (Date.now() > deadline)
      throw new Error(
        `Slots without a finished run after ${timeoutMs} ms: ${slots
          .filter((_, i) => runs[i]?.status !== 'succeeded')
          .map((s) => `${s.toISOString()} (${runs[slots.indexOf(s)]?.status ?? 'no record'})`)
          .join(', ')}`,
      );
    await sleep(250);
  }
}

const everyTwoSeconds = settingsOf({ cron: '*/2 * * * * *' });
const slotsBetween = (from: number, to: number) =>
  nextFireTimes(everyTwoSeconds, new Date(from - 1), 1000).filter((t) => t.getTime() <= to);

test('a */2 * * * * * schedule fires on its seconds, pauses, resumes, and backfills the slots it missed', async () => {
  const plan = planFor('*/2 * * * * *');
  expect(await upsertSchedule({ workflowId, version: 1, plan, settings: everyTwoSeconds })).toBe('created');
  const createdAt = Date.now();

  // Ten seconds of firing: every slot gets a run, named after its slot, started within a second of it.
  await sleep(11_000);
  const firing = slotsBetween(createdAt + 1000, createdAt + 10_000);
  expect(firing.length).toBeGreaterThanOrEqual(4);
  const fired = await runsOfSlots(firing);
  for (const [i, run] of fired.entries()) {
    const { scheduledAt, firedAt } = payloadOf(run);
    expect(scheduledAt).toBe(firing[i].toISOString());
    const late = Date.parse(firedAt) - Date.parse(scheduledAt);
    expect([run.runId, late >= 0 && late < 1000]).toEqual([run.runId, true]);
    expect(run).toMatchObject({ workflowId, workflowVersion: 1, planHash: plan.hash, mode: 'schedule' });
  }
  const live = await describeSchedule(workflowId);
  expect(live?.paused).toBe(false);
  expect(live?.workflowVersion).toBe(1);
  for (const action of live!.recentActions)
    expect(action.takenAt.getTime() - action.scheduledAt.getTime()).toBeLessThan(1000);

  // Paused: no slot after the pause runs for five seconds.
  await pauseSchedule(workflowId, 'paused by the test');
  const pausedAt = Date.now();
  expect((await describeSchedule(workflowId))?.paused).toBe(true);
  await sleep(5000);
  expect((await scheduledRuns()).filter((r) => slotOf(r) > pausedAt).map((r) => r.runId)).toEqual([]);

  // Resumed: it fires again, and the slots of the pause are not made up.
  const resumedAt = Date.now();
  await unpauseSchedule(workflowId, 'resumed by the test');
  await sleep(4500);
  const missed = slotsBetween(pausedAt + 500, resumedAt - 500);
  expect(missed.length).toBeGreaterThanOrEqual(2);
  const afterResume = slotsBetween(resumedAt + 1000, resumedAt + 4000);
  await runsOfSlots(afterResume);
  const runsDuringPause = (await scheduledRuns()).filter((r) => slotOf(r) > pausedAt && slotOf(r) < resumedAt);
  expect(runsDuringPause.map((r) => r.runId)).toEqual([]);

  // Backfill over the pause: exactly its slots run now, each with its own slot as its payload.
  const from = missed[0];
  const to = missed[missed.length - 1];
  await backfillSchedule(workflowId, from, to, 'skip');
  const backfilled = await runsOfSlots(missed);
  expect(backfilled.map((r) => payloadOf(r).scheduledAt)).toEqual(missed.map((t) => t.toISOString()));
  for (const run of backfilled) expect(Date.parse(payloadOf(run).firedAt)).toBeGreaterThan(resumedAt);
  const inRange = (await scheduledRuns()).filter((r) => slotOf(r) >= from.getTime() && slotOf(r) <= to.getTime());
  expect(inRange).toHaveLength(missed.length);
}, 90_000);

test('a slot Temporal starts a second time (a backfill over it) fails without touching its first run', async () => {
  const [first] = (await scheduledRuns()).sort((a, b) => slotOf(a) - slotOf(b));
  const slot = new Date(slotOf(first));
  const handle = (await getTemporalClient()).workflow.getHandle(first.runId);
  const firstExecution = (await handle.describe()).runId;

  await backfillSchedule(workflowId, slot, slot, 'skip');
  const deadline = Date.now() + 20_000;
  let second = await handle.describe();
  while ((second.runId === firstExecution || second.status.name === 'RUNNING') && Date.now() < deadline) {
    await sleep(250);
    second = await handle.describe();
  }
  expect(second.runId).not.toBe(firstExecution);
  expect(second.status.name).toBe('FAILED');
  expect(await getRunUnscoped(first.runId)).toEqual(first);
}, 60_000);

test('deleting the schedule stops it; deleting it again finds none', async () => {
  expect(await deleteSchedule(workflowId)).toBe(true);
  expect(await describeSchedule(workflowId)).toBeUndefined();
  expect(await deleteSchedule(workflowId)).toBe(false);
});

/** The first day after `after` on which the zone's offset changes, as [year, month, day] in that zone. */
function nextOffsetChange(timeZone: string, after: number): [number, number, number] {
  const offset = (t: number) => new Date(t).toLocaleString('en-US', { timeZone, timeZoneName: 'longOffset' }).slice(-9);
  for (let t = after; t < after + 400 * 86_400_000; t += 3_600_000) {
    if (offset(t) !== offset(t + 3_600_000)) {
      const [m, d, y] = new Date(t + 3_600_000).toLocaleDateString('en-US', { timeZone }).split('/').map(Number);
      return [y, m, d];
    }
  }
  throw new Error(`${timeZone} does not change its offset within 400 days`);
}

test('the fire times Baton computes are the ones Temporal lists, over the next daylight-saving changes', async () => {
  const client = await getTemporalClient();
  const cases: Array<Record<string, unknown>> = [
    { mode: 'interval', every: 90, unit: 'seconds' },
    { cron: '0 15 10 * * MON-FRI', timeZone: 'Asia/Tokyo', startAt: '2030-01-01', endAt: '2030-01-20T10:15:00+09:00' },
  ];
  for (const timeZone of ['Europe/Berlin', 'America/New_York']) {
    let after = Date.now();
    for (let i = 0; i < 2; i++) {
      const [, month, day] = nextOffsetChange(timeZone, after);
      cases.push({ cron: `0 0,20,40 0-3 ${day} ${month} *`, timeZone });
      cases.push({ cron: `0 0 * ${day} ${month} *`, timeZone });
      after = Date.UTC(new Date(after).getUTCFullYear(), month - 1, day) + 2 * 86_400_000;
    }
  }
  for (const [i, params] of cases.entries()) {
    const settings = settingsOf(params);
    const handle = await client.schedule.create({
      scheduleId: `${scheduleIdOf(workflowId)}-probe-${i}`,
      spec: temporalSpecOf(settings),
      action: { type: 'startWorkflow', workflowType: 'runGraph', taskQueue: `${harness.queuePrefix}never`, args: [] },
      state: { paused: true },
    });
    try {
      const listed = (await handle.describe()).info.nextActionTimes.map((t) => t.toISOString());
      const computed = nextFireTimes(settings, new Date(), listed.length).map((t) => t.toISOString());
      expect([params, computed]).toEqual([params, listed]);
      expect(listed.length).toBeGreaterThan(0);
    } finally {
      await handle.delete();
    }
  }
}, 60_000);
