// Bad input to the integration nodes in real runs (Temporal, a worker process, the store, Mailpit, PostgreSQL,
// MariaDB, SQLite): each error names the node and the field, the run fails cleanly, and nothing saved is lost: the
// workflow, the earlier steps' records and files stay, and a failed SQL write leaves no half of itself behind.
// What the nodes' own tests already cover is not repeated here: bad addresses field by field
// (nodes/send-email/run.test.ts), a missing DOCX placeholder (nodes/docx-template/run.test.ts), the database's message
// (nodes/sql/operations.test.ts) and an expired form page (app/forms.test.ts).
import { randomUUID } from 'node:crypto';
import { findFile, saveFile } from '../db/files';
import { getWorkflowUnscoped, createWorkflow } from '../db/workflows';
import { systemScope } from '../db/workspaces';
import { ensureMailpit, messagesTo, type Mailpit } from '../test/mailbox';
import { compileOrThrow, startRunHarness, workflowDoc, type DocNode, type RunHarness } from '../test/run-harness';
import { openTarget, type SqlTarget } from '../nodes/sql/targets-test-stack';

const WS = 'ws_bad_input';
let mailpit: Mailpit;
let harness: RunHarness;
let workflowId = '';

beforeAll(async () => {
  mailpit = await ensureMailpit(); // before the worker starts: it inherits BATON_SMTP_URL
  harness = await startRunHarness('bad_input');
  workflowId = (await createWorkflow(systemScope(WS), { name: 'Onboarding', ownerId: 'owner' })).id;
  await harness.startWorker({ queues: ['default'] });
}, 180_000);
afterAll(async () => {
  await harness?.close();
  await mailpit?.stop();
});

const unique = (name: string) => `${name}-${randomUUID().slice(0, 8)}@acme.test`;

/** Trigger → "Profile" (a Set step that succeeds) → `mail`: the failing step always has an earlier one. */
function welcomePlan(mail: Record<string, unknown>) {
  const nodes: DocNode[] = [
    { id: 'trigger', type: 'manual-trigger' },
    { id: 'profile', type: 'set-fields', params: { fields: { name: '{{ $input.name }}' } } },
    {
      id: 'welcome',
      type: 'send-email',
      params: { from: 'HR <hr@acme.test>', subject: 'Welcome', text: 'Hello', ...mail },
      policy: { retry: { maximumAttempts: 3, initialIntervalMs: 200, backoffCoefficient: 1 } },
    },
  ];
  return compileOrThrow(
    workflowDoc(nodes, [
      ['trigger', 'profile'],
      ['profile', 'welcome'],
    ]),
    workflowId,
  );
}

test('an invalid To written as a literal is refused when the workflow is saved, naming the node and the field', () => {
  expect(() => welcomePlan({ to: 'new.hire@' })).toThrow(
    'welcome: Param "to": To: "new.hire@" is not an email address',
  );
  expect(() => welcomePlan({ to: 'ok@acme.test', cc: ['boss@acme.test', 'nobody'] })).toThrow(
    'welcome: Param "cc": CC (entry 2): "nobody" is not an email address',
  );
  expect(() => welcomePlan({ to: '{{ $node("trigger").email }}' })).not.toThrow(); // checked once resolved
});

test('an invalid To from an expression fails the run naming the node and To, once, and keeps the earlier step', async () => {
  const { result, steps } = await harness.run(welcomePlan({ to: '{{ $node("trigger").email }}' }), {
    email: 'new.hire@',
    name: 'Ada',
  });
  expect(result.status).toBe('failed');
  expect(result.error).toMatchObject({
    nodeId: 'welcome',
    code: 'param-invalid',
    message: expect.stringMatching(/"welcome".*To: "new.hire@" is not an email address; fix the To parameter/),
  });
  const byNode = Object.fromEntries(steps.map((s) => [s.nodeId, s]));
  expect(byNode.profile).toMatchObject({ status: 'succeeded', output: { name: 'Ada' } });
  expect(byNode.welcome).toMatchObject({ status: 'failed', attempt: 1 }); // not retried: it would fail the same way
  expect(await getWorkflowUnscoped(workflowId)).toBeDefined();
}, 120_000);

test('a 50 MB attachment fails the run with a size error naming the node and Attachments; nothing is lost', async () => {
  const to = unique('scan');
  const big = await saveFile(Buffer.alloc(50 * 1024 * 1024, 7), {
    workspaceId: WS,
    name: 'scan.pdf',
    mimeType: 'application/pdf',
  });
  const { result, steps } = await harness.run(welcomePlan({ to, attachments: '{{ $node("trigger").scan }}' }), {
    scan: big,
    name: 'Ada',
  });
  expect(result.status).toBe('failed');
  expect(result.error).toMatchObject({
    nodeId: 'welcome',
    code: 'param-invalid',
    message: expect.stringContaining(
      'Send email: Attachments: the file "scan.pdf" is 50 MB; the limit of attachments is 20 MB; fix the Attachments parameter',
    ),
  });
  const byNode = Object.fromEntries(steps.map((s) => [s.nodeId, s]));
  expect(byNode.profile).toMatchObject({ status: 'succeeded', output: { name: 'Ada' } });
  expect(byNode.welcome).toMatchObject({ status: 'failed', attempt: 1 });
  expect(await messagesTo(to)).toEqual([]);
  expect(await getWorkflowUnscoped(workflowId)).toBeDefined();
  expect(await findFile(big.$batonFile, WS)).toMatchObject({ bytes: 50 * 1024 * 1024 }); // the upload stays
}, 120_000);

describe.each(['postgres', 'mysql', 'sqlite'] as const)('%s', (kind) => {
  let db: SqlTarget;
  beforeAll(async () => {
    db = await openTarget(kind, `bad_input_${kind}`);
  }, 120_000);
  afterAll(() => db?.close());

  test('a write that fails half way names the node and quotes the database, and leaves nothing applied', async () => {
    await db.reset();
    await db.run(db.context(), { operation: 'insert', values: { email: 'ada@acme.test' } });
    const key = `run-${randomUUID()}:hires:0`;
    // Two statements (the rows have different columns): the first succeeds, the second breaks the unique email.
    const rows = [{ email: 'grace@acme.test', name: 'Grace' }, { email: 'ada@acme.test' }];
    const err = await db.run(db.context(key), { operation: 'insert', rows }).then(
      () => {
        throw new Error('expected the write to fail');
      },
      (e: Error & { code?: string }) => e,
    );
    expect(err).toMatchObject({ code: 'sql' });
    expect(err.message).toMatch(
      new RegExp(`^${db.title} node "Employees": the insert failed: ${db.title} said: .*(duplicate|unique)`, 'i'),
    );
    const emails = async () =>
      (await db.sql<{ email: string }>('SELECT email FROM employees ORDER BY id')).map((r) => r.email);
    expect(await emails()).toEqual(['ada@acme.test']); // Grace's row went with the failed statement

    // No mark of the failed write either: the same step, retried with fixed rows, writes them.
    await db.run(db.context(key), { operation: 'insert', rows: [{ email: 'grace@acme.test', name: 'Grace' }] });
    expect(await emails()).toEqual(['ada@acme.test', 'grace@acme.test']);
  });
});
