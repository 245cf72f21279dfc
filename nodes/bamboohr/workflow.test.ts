// BambooHR and Slack in real runs (Temporal, a worker process, the store, the vault), against the replay servers the
// worker reaches through BATON_BAMBOOHR_API_URL and BATON_SLACK_API_URL: a new hire from the trigger is created in
// BambooHR, read back and announced on Slack; a run whose announcement Slack refuses fails naming the channel. The
// API key and the bot token, stored as credentials, then appear in no step record, error, Mongo document, Temporal
// history or worker log line.
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { createCredential } from '../../db/credentials';
import { createWorkflow } from '../../db/workflows';
import { systemScope } from '../../db/workspaces';
import { getTemporalClient } from '../../temporal/client';
import { startBambooReplay, type BambooReplay } from '../../test/replay/bamboohr';
import { startSlackReplay, type SlackReplay } from '../../test/replay/slack';
import { compileOrThrow, startRunHarness, workflowDoc, type RunHarness } from '../../test/run-harness';
import type { ChildHandle } from '../../test/stack';
import { SLACK_API_URL_ENV } from '../slack/api-url';
import { BAMBOOHR_API_URL_ENV } from './api-url';

const API_KEY = `bamboo-canary-${randomUUID()}`;
const BOT_TOKEN = `xoxb-canary-${randomUUID()}`;

let bamboo: BambooReplay;
let slack: SlackReplay;
let harness: RunHarness;
let worker: ChildHandle;
let workflowId: string;
let credentials: { hr: string; bot: string };

beforeAll(async () => {
  [bamboo, slack] = await Promise.all([startBambooReplay(API_KEY), startSlackReplay(BOT_TOKEN)]);
  // Before the worker starts: it reads both from its environment, as an operator would set them.
  process.env[BAMBOOHR_API_URL_ENV] = bamboo.url;
  process.env[SLACK_API_URL_ENV] = slack.apiUrl;
  harness = await startRunHarness('saas');
  worker = await harness.startWorker({ queues: ['default'] });
  const scope = systemScope(`ws_saas_${process.pid}`);
  workflowId = (await createWorkflow(scope, { name: 'Onboarding', ownerId: 'u-hr' })).id;
  const [hr, bot] = await Promise.all([
    createCredential(scope, { name: 'Acme HR', type: 'bamboohr', values: { companyDomain: 'acme', apiKey: API_KEY } }),
    createCredential(scope, { name: 'Baton bot', type: 'slack-bot', values: { token: BOT_TOKEN } }),
  ]);
  credentials = { hr: hr.id, bot: bot.id };
}, 180_000);
afterAll(async () => {
  await harness?.close();
  await Promise.all([bamboo?.close(), slack?.close()]);
  delete process.env[BAMBOOHR_API_URL_ENV];
  delete process.env[SLACK_API_URL_ENV];
});

function onboarding(channel: string) {
  return compileOrThrow(
    workflowDoc(
      [
        { id: 'trigger', type: 'manual-trigger' },
        {
          id: 'hire',
          type: 'bamboohr',
          params: {
            credential: credentials.hr,
            operation: 'createEmployee',
            employee: {
              firstName: '{{ $input.firstName }}',
              lastName: '{{ $input.lastName }}',
              workEmail: '{{ $input.email }}',
              hireDate: '{{ $input.start }}',
            },
          },
        },
        {
          id: 'read',
          type: 'bamboohr',
          params: {
            credential: credentials.hr,
            operation: 'getEmployee',
            employeeId: '{{ $node("hire").id }}',
            fields: 'firstName,lastName,workEmail,hireDate',
          },
        },
        {
          id: 'announce',
          type: 'slack',
          params: {
            credential: credentials.bot,
            channel,
            text: 'Welcome {{ $node("read").firstName }} {{ $node("read").lastName }}, starting {{ $node("read").hireDate }}!',
          },
        },
      ],
      [
        ['trigger', 'hire'],
        ['hire', 'read'],
        ['read', 'announce'],
      ],
    ),
    workflowId,
  );
}

/** Every string in a Temporal history, payload bytes decoded. */
async function historyText(runId: string): Promise<string> {
  const history = await (await getTemporalClient()).workflow.getHandle(runId).fetchHistory();
  const parts: string[] = [];
  const walk = (value: unknown): void => {
    if (value instanceof Uint8Array) parts.push(Buffer.from(value).toString('utf8'));
    else if (typeof value === 'string') parts.push(value);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(history);
  return parts.join('\n');
}

async function everyMongoDocument(): Promise<string> {
  const db = mongoose.connection.db!;
  const parts: string[] = [];
  for (const { name } of await db.listCollections().toArray()) {
    for (const doc of await db.collection(name).find().toArray()) parts.push(JSON.stringify(doc));
  }
  return parts.join('\n');
}

it('creates the new hire in BambooHR, reads it back and announces it on Slack; a refused post fails clearly', async () => {
  const email = `ada-${randomUUID().slice(0, 8)}@acme.test`;
  const hire = { firstName: 'Ada', lastName: 'Lovelace', email, start: '2031-09-01' };
  const ok = await harness.run(onboarding('#new-hires'), hire);
  expect(ok.result).toMatchObject({ status: 'succeeded' });

  const byNode = Object.fromEntries(ok.steps.map((s) => [s.nodeId, s]));
  const id = (byNode.hire.output as { id: string }).id;
  expect(byNode.hire.output).toEqual({ id, created: true });
  expect(bamboo.employees.get(id)).toEqual({
    firstName: 'Ada',
    lastName: 'Lovelace',
    workEmail: email,
    hireDate: '2031-09-01',
  });
  expect(byNode.read.output).toEqual({
    id,
    firstName: 'Ada',
    lastName: 'Lovelace',
    workEmail: email,
    hireDate: '2031-09-01',
  });
  const posted = slack.posted.find((m) => m.text === 'Welcome Ada Lovelace, starting 2031-09-01!')!;
  expect(posted).toMatchObject({
    channel: 'C0NEWHIRES',
    metadata: { event_payload: { idempotency_key: `${ok.runId}:announce:0` } },
  });
  expect(byNode.announce.output).toEqual({ channel: 'C0NEWHIRES', ts: posted.ts });

  const refused = await harness.run(onboarding('#nope'), {
    ...hire,
    email: `grace-${randomUUID().slice(0, 8)}@acme.test`,
  });
  expect(refused.result.status).toBe('failed');
  const message =
    'Slack: Channel: there is no channel "#nope" that this app can see (channel_not_found); use the channel ID (C…), ' +
    'and invite the app to private channels; fix the Channel parameter';
  expect(refused.result.error).toMatchObject({
    nodeId: 'announce',
    code: 'slack-refused',
    message: `Node "announce" (announce) failed: ${message}`,
  });
  expect(refused.steps.find((s) => s.nodeId === 'announce')).toMatchObject({
    status: 'failed',
    attempt: 1,
    error: { code: 'slack-refused', message },
  });

  const places: Record<string, string> = {
    'step records': JSON.stringify([ok.steps, refused.steps, ok.result, refused.result]),
    'Mongo documents': await everyMongoDocument(),
    'Temporal history (ok run)': await historyText(ok.runId),
    'Temporal history (failed run)': await historyText(refused.runId),
    'worker output': worker.output(),
  };
  expect(places['Temporal history (ok run)']).toContain(credentials.bot); // the history is there, with the reference
  for (const [place, text] of Object.entries(places)) {
    expect([place, text.includes(API_KEY), text.includes(BOT_TOKEN)]).toEqual([place, false, false]);
  }
});
