// The schedule lifecycle through the real web API, a real worker and Temporal: publishing a schedule-triggered
// version creates its Temporal Schedule and a new version updates it; the editor's endpoints read, pause, resume,
// run now and backfill it, refusing bad requests with the field named; publishing a version with another trigger,
// unpublishing and deleting the workflow each delete it. Express workflows cannot have one.
import { closeTemporalClient } from '../temporal/client';
import { describeSchedule, deleteSchedule } from '../temporal/schedules';
import type { DocumentNode, WorkflowDocument } from '../ir/types';
import { chain, docWith, setNode, webhookNode } from './web-test-documents';
import { startWebStack, waitForRunStatus, type WebStack } from './web-test-stack';

let stack: WebStack;
const workflowIds: string[] = [];

beforeAll(async () => {
  stack = await startWebStack('schedule_api', { worker: true });
  // This process names schedules like the web does (temporal/schedules.ts `scheduleIdOf`).
  process.env.BATON_QUEUE_PREFIX = `test-schedule_api-${process.pid}-`;
}, 240_000);

afterAll(async () => {
  for (const id of workflowIds) await deleteSchedule(id).catch(() => undefined);
  await closeTemporalClient();
  await stack?.stop();
});

const scheduleNode = (params: Record<string, unknown>): DocumentNode => ({
  id: 'clock',
  type: 'schedule-trigger',
  version: 1,
  name: 'Clock',
  position: { x: 0, y: 0 },
  params,
});
const scheduled = (params: Record<string, unknown>, settings: WorkflowDocument['settings'] = {}) => ({
  ...docWith([scheduleNode(params), setNode('s', { ran: 'yes' })], [chain('clock', 's')]),
  settings,
});

async function create(name: string, document: WorkflowDocument) {
  const res = await stack.api('POST', '/api/workflows', { name, document });
  expect(res.status).toBe(201);
  workflowIds.push(res.body.workflow.id);
  return res.body.workflow as { id: string; revision: number };
}

async function save(id: string, document: WorkflowDocument) {
  const current = await stack.api('GET', `/api/workflows/${id}`);
  const res = await stack.api('PUT', `/api/workflows/${id}`, { revision: current.body.workflow.revision, document });
  expect(res.status).toBe(200);
}

test('publish creates and updates the schedule; the editor endpoints read and steer it', async () => {
  const wf = await create('Nightly', scheduled({ cron: '0 0 3 * * *', timeZone: 'Europe/Berlin' }));

  const before = await stack.api('GET', `/api/workflows/${wf.id}/schedule`);
  expect(before.status).toBe(200);
  expect(before.body.schedule).toMatchObject({ publishedVersion: null, published: null });
  expect(before.body.schedule.draft.timing).toMatchObject({ summary: 'Cron 0 0 3 * * *', timeZone: 'Europe/Berlin' });
  expect(before.body.schedule.draft.nextFireTimes).toHaveLength(5);

  const first = await stack.api('POST', `/api/workflows/${wf.id}/publish`);
  expect([first.status, first.body.schedule]).toEqual([201, 'created']);
  const live = (await stack.api('GET', `/api/workflows/${wf.id}/schedule`)).body.schedule;
  expect(live.published).toMatchObject({ version: 1, live: { paused: false, workflowVersion: 1 } });
  expect(live.published.live.nextFireTimes).toEqual(live.draft.nextFireTimes);

  const second = await stack.api('POST', `/api/workflows/${wf.id}/publish`);
  expect([second.status, second.body.schedule]).toEqual([201, 'updated']);
  expect((await describeSchedule(wf.id))?.workflowVersion).toBe(2);

  const paused = await stack.api('POST', `/api/workflows/${wf.id}/schedule/pause`);
  expect(paused.status).toBe(200);
  expect(paused.body.schedule.published.live).toMatchObject({ paused: true, note: 'Paused by Owner.' });

  // Run now starts a run of the published version even while paused.
  const now = await stack.api('POST', `/api/workflows/${wf.id}/schedule/run-now`);
  expect(now.status).toBe(202);
  let runs: Array<{ runId: string }> = [];
  for (let i = 0; i < 80 && runs.length === 0; i++) {
    await new Promise((r) => setTimeout(r, 250));
    runs = (await stack.api('GET', `/api/runs?workflowId=${wf.id}`)).body.runs;
  }
  const run = await waitForRunStatus(stack, runs[0].runId);
  expect(run).toMatchObject({ status: 'succeeded', mode: 'schedule', workflowVersion: 2 });
  expect(run.trigger).toEqual({ scheduledAt: expect.any(String), firedAt: expect.any(String) });

  const resumed = await stack.api('POST', `/api/workflows/${wf.id}/schedule/resume`);
  expect(resumed.body.schedule.published.live).toMatchObject({ paused: false, note: 'Resumed by Owner.' });

  // A backfill of the last two nights runs their two slots.
  const to = new Date();
  const from = new Date(to.getTime() - 2 * 86_400_000);
  const backfill = await stack.api('POST', `/api/workflows/${wf.id}/schedule/backfill`, {
    from: from.toISOString(),
    to: to.toISOString(),
  });
  expect([backfill.status, backfill.body.slots]).toEqual([202, 2]);
  for (const runId of backfill.body.runIds)
    expect(await waitForRunStatus(stack, runId)).toMatchObject({ status: 'succeeded', mode: 'schedule' });
  const again = await stack.api('POST', `/api/workflows/${wf.id}/schedule/backfill`, {
    from: from.toISOString(),
    to: to.toISOString(),
  });
  expect(again.status).toBe(409);
  expect(again.body.error.message).toMatch(/already have runs/);
}, 120_000);

test('backfill requests name what is wrong: the field, a future range, too many slots', async () => {
  const wf = await create('Busy', scheduled({ cron: '*/5 * * * * *' }));
  expect((await stack.api('POST', `/api/workflows/${wf.id}/publish`)).status).toBe(201);
  const backfill = (body: unknown) => stack.api('POST', `/api/workflows/${wf.id}/schedule/backfill`, body);
  const message = async (body: unknown) => {
    const res = await backfill(body);
    return [res.status, res.body.error?.message];
  };
  const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
  expect(await message({ from: 'yesterday', to: hourAgo })).toEqual([
    400,
    expect.stringMatching(/^Invalid request: from: must be an ISO date-time/),
  ]);
  expect(await message({ from: hourAgo, to: new Date(Date.now() + 60_000).toISOString() })).toEqual([
    400,
    expect.stringMatching(/^to \(.*\) is in the future/),
  ]);
  expect(await message({ from: hourAgo, to: hourAgo })).toEqual([400, expect.stringMatching(/must be after from/)]);
  expect(await message({ from: new Date(Date.now() - 86_400_000).toISOString(), to: hourAgo })).toEqual([
    400,
    expect.stringMatching(/holds more than 1000 fire times/),
  ]);
  await stack.api('POST', `/api/workflows/${wf.id}/unpublish`);
});

const hook = async (workflowId: string) =>
  (
    await fetch(`${stack.url}/hooks/${workflowId}/hook`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    })
  ).status;

test('a version with another trigger, unpublishing and deleting each delete the schedule', async () => {
  const wf = await create('Comes and goes', scheduled({ cron: '0 0 * * * *' }));
  expect((await stack.api('POST', `/api/workflows/${wf.id}/publish`)).body.schedule).toBe('created');

  await save(wf.id, docWith([webhookNode('w', { path: 'hook' }), setNode('s', { ran: 'yes' })], [chain('w', 's')]));
  expect((await stack.api('POST', `/api/workflows/${wf.id}/publish`)).body.schedule).toBe('deleted');
  expect(await describeSchedule(wf.id)).toBeUndefined();
  expect((await stack.api('GET', `/api/workflows/${wf.id}/schedule`)).body.schedule.published).toBeNull();
  expect(await hook(wf.id)).toBe(202);

  // Unpublished: the webhook answers 404; publishing again numbers on after the last version.
  expect((await stack.api('POST', `/api/workflows/${wf.id}/unpublish`)).body).toEqual({
    unpublishedVersion: 2,
    scheduleDeleted: false,
  });
  expect(await hook(wf.id)).toBe(404);
  expect((await stack.api('POST', `/api/workflows/${wf.id}/unpublish`)).status).toBe(409);

  await save(wf.id, scheduled({ cron: '0 0 * * * *' }));
  const republished = await stack.api('POST', `/api/workflows/${wf.id}/publish`);
  expect([republished.body.version.version, republished.body.schedule]).toEqual([3, 'created']);
  expect((await stack.api('POST', `/api/workflows/${wf.id}/unpublish`)).body).toEqual({
    unpublishedVersion: 3,
    scheduleDeleted: true,
  });
  expect(await describeSchedule(wf.id)).toBeUndefined();
  expect((await stack.api('POST', `/api/workflows/${wf.id}/schedule/pause`)).status).toBe(409);

  expect((await stack.api('POST', `/api/workflows/${wf.id}/publish`)).body.schedule).toBe('created');
  expect((await stack.api('DELETE', `/api/workflows/${wf.id}?runs=keep`)).status).toBe(204);
  expect(await describeSchedule(wf.id)).toBeUndefined();
});

test('publishing refuses an express workflow with a schedule, and dates that make no schedule, naming the field', async () => {
  const express = await create('Fast', scheduled({}, { mode: 'express' }));
  const refused = await stack.api('POST', `/api/workflows/${express.id}/publish`);
  expect(refused.status).toBe(422);
  expect(refused.body.error.diagnostics).toEqual([
    expect.objectContaining({ code: 'express-schedule', nodeId: 'clock' }),
  ]);

  const backwards = await create('Backwards', scheduled({ startAt: '2030-01-02', endAt: '2030-01-01' }));
  const invalid = await stack.api('POST', `/api/workflows/${backwards.id}/publish`);
  expect(invalid.status).toBe(422);
  expect(invalid.body.error.message).toMatch(/field params\.endAt: Clock: Param "endAt": must be after the start date/);
  expect(invalid.body.error.diagnostics[0]).toMatchObject({ nodeId: 'clock', path: ['nodes', 0, 'params', 'endAt'] });
  expect(await describeSchedule(backwards.id)).toBeUndefined();
});
