// What a runner logs through its context: secret-named fields are redacted, and the values of the credentials the
// step opened are replaced wherever they appear, in the message and in any field.
import type { Context } from '@temporalio/activity';
import type { PlanNode } from '../ir/types';
import { stepCredentials } from '../nodes/credentials/step-access';
import { runContext } from './run-context';

const CANARY = 'canary-7f3c1e9a-token';

function logged() {
  const lines: Array<{ level: string; msg: string; meta: unknown }> = [];
  const at = (level: string) => (msg: string, meta?: unknown) => void lines.push({ level, msg, meta });
  const context = { log: { info: at('info'), warn: at('warn') } } as unknown as Context;
  return { lines, context };
}

const node = { id: 'call', name: 'Call API' } as PlanNode;
const source = { runId: 'run_1', workflowId: 'wf_1', node, iteration: 0, attempt: 1 };

it("replaces the step's secret values in what its runner logs, message and fields", async () => {
  const { lines, context } = logged();
  const credentials = stepCredentials(async (id) => ({
    id,
    name: 'API',
    type: 'bearer-token',
    values: { token: CANARY },
  }));
  const ctx = runContext(context, {
    ...source,
    signal: new AbortController().signal,
    heartbeat: () => undefined,
    credential: credentials.credential,
    scrub: credentials.scrub,
  });
  await ctx.credential!('cred_1', ['bearer-token']);
  ctx.log.info(`Calling with ${CANARY}`, { header: `Bearer ${CANARY}`, nested: { list: [CANARY] }, password: 'p4ss' });
  ctx.log.warn('Retrying', { echoed: `token=${CANARY}` });

  const text = JSON.stringify(lines);
  expect(text).not.toContain(CANARY);
  expect(text).not.toContain('p4ss');
  expect(lines.map((l) => l.msg)).toEqual(['Calling with [secret]', 'Retrying']);
  expect(lines[0].meta).toMatchObject({ header: 'Bearer [secret]', nested: { list: ['[secret]'] }, nodeId: 'call' });
});
