// Send Email in a real run (Temporal, a worker process, the store, Mailpit): expressions fill the message from the
// trigger, the step's output names what was sent, and the activity leaves the sent-mark a retry would find.
import { randomUUID } from 'node:crypto';
import { recallEffect } from '../../db/effect-marks';
import { ensureMailpit, messagesTo, waitForMessage, type Mailpit } from '../../test/mailbox';
import { compileOrThrow, startRunHarness, workflowDoc, type RunHarness } from '../../test/run-harness';

let mailpit: Mailpit;
let harness: RunHarness;
beforeAll(async () => {
  mailpit = await ensureMailpit(); // before the worker starts: it inherits BATON_SMTP_URL
  harness = await startRunHarness('send_email_runs');
  await harness.startWorker({ queues: ['default'] });
}, 180_000);
afterAll(async () => {
  await harness?.close();
  await mailpit?.stop();
});

it('sends the message the expressions build, once, and outputs its id and recipients', async () => {
  const email = `hire-${randomUUID().slice(0, 8)}@acme.test`;
  const plan = compileOrThrow(
    workflowDoc(
      [
        { id: 'trigger', type: 'manual-trigger' },
        {
          id: 'send',
          type: 'send-email',
          params: {
            from: 'HR <hr@acme.test>',
            to: '{{ $input.email }}',
            subject: 'Welcome, {{ $input.name }}',
            text: 'Hello {{ $input.name }}, you start on {{ $input.start }}.',
          },
        },
      ],
      [['trigger', 'send']],
    ),
  );
  const { runId, result, steps } = await harness.run(plan, { email, name: 'Ada', start: 'Monday' });
  expect(result.status).toBe('succeeded');

  const mail = await waitForMessage(email);
  expect(mail.Subject).toBe('Welcome, Ada');
  expect(mail.Text.trim()).toBe('Hello Ada, you start on Monday.');

  const step = steps.find((s) => s.nodeId === 'send')!;
  expect(step.status).toBe('succeeded');
  const output = step.output as { messageId: string; accepted: string[] };
  expect(output.accepted).toEqual([email]);
  expect(output.messageId).toBe(`<${mail.MessageID}>`);
  expect(await recallEffect(`${runId}:send:0:send-email`)).toMatchObject({ result: { messageId: output.messageId } });
  expect(await messagesTo(email)).toHaveLength(1);
});
