// Approval emails through a real Mailpit, read back over its API: one message per approver with their own link,
// once per (approval, level, approver, notice) however often the activity runs.
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import type { ApprovalRequest } from '../contracts/approvals';
import { verifyApprovalLink } from '../db/approval-links';
import { connectDb, disconnectDb } from '../db/connection';
import {
  ensureMailpit,
  extractLink,
  messageHeaders,
  messagesTo,
  readMessage,
  waitForMessage,
  waitForMessages,
  type Mailpit,
} from '../test/mailbox';
import { testDatabaseUri } from '../test/stack';
import { dataExcerpt, resolveSmtp, sendApprovalEmails } from './approval-emails';

let mailpit: Mailpit;
beforeAll(async () => {
  mailpit = await ensureMailpit();
  await connectDb(testDatabaseUri('baton_test_approval_emails'));
  await mongoose.connection.db!.dropDatabase();
});
afterAll(async () => {
  await disconnectDb();
  await mailpit.stop();
});

/** Addresses no other test (or earlier run against the same Mailpit) uses. */
const unique = (name: string) => `${name}-${randomUUID().slice(0, 8)}@acme.test`;

function request(overrides: Partial<ApprovalRequest> = {}): ApprovalRequest {
  const id = `apr_${randomUUID()}`;
  return {
    id,
    workspaceId: 'ws-1',
    workflowId: 'wf-1',
    workflowName: 'Onboarding',
    runId: `run-${id}`,
    nodeId: 'approve',
    nodeName: 'Director approval',
    title: 'Offer for Ada Lovelace',
    summary: 'Salary above band; needs a director.',
    data: { name: 'Ada Lovelace', salary: 185000, start: '2026-01-05' },
    form: [],
    rule: { kind: 'any' },
    barred: [],
    levels: [{ eligible: ['u-ann', 'u-bob'], from: ['group Directors'], openedAt: new Date().toISOString() }],
    delegations: [],
    decisions: [],
    status: 'pending',
    createdAt: new Date().toISOString(),
    ...overrides,
  };
}

const smtp = () => resolveSmtp(undefined)!;

describe('sendApprovalEmails', () => {
  it('sends each approver one message with their own link, the title, the summary and the data', async () => {
    const ann = unique('ann');
    const bob = unique('bob');
    const req = request();
    const result = await sendApprovalEmails(
      req,
      [
        { userId: 'u-ann', email: ann, name: 'Ann Director' },
        { userId: 'u-bob', email: bob },
      ],
      smtp(),
    );
    expect(result).toEqual({ sent: 2, alreadySent: 0, skipped: [] });

    const annMail = await waitForMessage(ann);
    const bobMail = await waitForMessage(bob);
    expect(annMail.Subject).toBe('Approval needed: Offer for Ada Lovelace (Onboarding)');
    expect(annMail.To).toEqual([{ Name: 'Ann Director', Address: ann }]);
    expect(annMail.Text).toContain('Hello Ann Director,');
    expect(annMail.Text).toContain('Salary above band; needs a director.');
    expect(annMail.Text).toContain('salary: 185000');
    expect(annMail.HTML).toContain('<strong>Offer for Ada Lovelace</strong>');

    const annToken = extractLink(annMail).split('/approvals/link/')[1];
    const bobToken = extractLink(bobMail).split('/approvals/link/')[1];
    expect(annMail.HTML).toContain(annToken);
    expect(verifyApprovalLink(annToken)).toMatchObject({ ok: true, approvalId: req.id, approverId: 'u-ann' });
    expect(verifyApprovalLink(bobToken)).toMatchObject({ ok: true, approvalId: req.id, approverId: 'u-bob' });
  });

  it('does not send again when the activity is retried', async () => {
    const ann = unique('ann');
    const req = request();
    const recipients = [{ userId: 'u-ann', email: ann }];
    expect(await sendApprovalEmails(req, recipients, smtp())).toMatchObject({ sent: 1 });
    const first = await waitForMessage(ann);
    expect(await sendApprovalEmails(req, recipients, smtp())).toEqual({ sent: 0, alreadySent: 1, skipped: [] });

    // A reminder is a new notice; a later message would have arrived by the time the reminder did.
    await sendApprovalEmails(req, recipients, smtp(), { kind: 'reminder', at: '2026-01-02T09:00:00.000Z' });
    await waitForMessage(ann, { subject: 'Reminder' });
    const all = await messagesTo(ann);
    expect(all.map((m) => m.Subject).sort()).toEqual([
      'Approval needed: Offer for Ada Lovelace (Onboarding)',
      'Reminder: approval needed: Offer for Ada Lovelace (Onboarding)',
    ]);
    const headers = await messageHeaders(first.ID);
    expect(headers['X-Baton-Idempotency-Key']).toEqual([`approval-email:${req.id}:0:u-ann:request`]);
    expect(first.MessageID).toMatch(/^[0-9a-f]{40}\.baton@baton\.localhost$/);
  });

  it('sends a new message with a new link to the next level after an escalation', async () => {
    const ann = unique('ann');
    const req = request();
    await sendApprovalEmails(req, [{ userId: 'u-ann', email: ann }], smtp());
    const escalated = request({
      ...req,
      levels: [
        ...req.levels,
        {
          eligible: ['u-ann'],
          from: ['group VPs'],
          openedAt: new Date().toISOString(),
          deadlineAt: '2099-01-01T00:00:00Z',
        },
      ],
    });
    expect(await sendApprovalEmails(escalated, [{ userId: 'u-ann', email: ann }], smtp())).toMatchObject({ sent: 1 });
    const both = await waitForMessages(ann, 2);
    const expiries = await Promise.all(
      both.map(async (m) => {
        const check = verifyApprovalLink(extractLink(await readMessage(m.ID)).split('/approvals/link/')[1]);
        return check.ok ? check.expiresAt.toISOString() : check.reason;
      }),
    );
    expect(expiries).toContain('2099-01-01T00:00:00.000Z');
    expect(new Set(expiries).size).toBe(2);
  });

  it('sends nothing without a mail server, and skips recipients without a usable address', async () => {
    const ann = unique('ann');
    expect(await sendApprovalEmails(request(), [{ userId: 'u-ann', email: ann }], undefined)).toEqual({
      sent: 0,
      alreadySent: 0,
      skipped: [],
    });
    const result = await sendApprovalEmails(
      request(),
      [
        { userId: 'u-x', email: 'not an address' },
        { userId: 'u-ann', email: ann },
      ],
      smtp(),
    );
    expect(result).toEqual({ sent: 1, alreadySent: 0, skipped: ['u-x'] });
    expect(await messagesTo(ann)).toHaveLength(1);
  });

  it('keeps a hostile title and name on one subject line, adding no header or recipient', async () => {
    const ann = unique('ann');
    const evil = unique('evil');
    await sendApprovalEmails(
      request({ title: `Offer\r\nBcc: ${evil}\r\nX-Evil: 1`, workflowName: 'HR\nflow' }),
      [{ userId: 'u-ann', email: ann, name: `Ann\r\nCc: ${evil}` }],
      smtp(),
    );
    const mail = await waitForMessage(ann);
    expect(mail.Subject).toBe(`Approval needed: Offer Bcc: ${evil} X-Evil: 1 (HR flow)`);
    const headers = await messageHeaders(mail.ID);
    expect(headers['X-Evil']).toBeUndefined();
    expect(mail.Cc ?? []).toEqual([]);
    expect(mail.Bcc ?? []).toEqual([]);
    expect(await messagesTo(evil)).toEqual([]);
  });
});

describe('dataExcerpt', () => {
  const letter = {
    $batonFile: '0123456789abcdef01234567',
    name: 'offer-letter.pdf',
    mimeType: 'application/pdf',
    bytes: 48_128,
    sig: 'c2lnbmF0dXJlLW9mLXRoZS1maWxlLXJlZmVyZW5jZQ',
  };

  it('shows file values by name and size, never their id or signature', () => {
    const text = dataExcerpt({ name: 'Ada', letter, files: [letter] });
    expect(text).toBe('name: Ada\nletter: "offer-letter.pdf (file, 47 KB)"\nfiles: ["offer-letter.pdf (file, 47 KB)"]');
    expect(dataExcerpt(letter)).toBe('"offer-letter.pdf (file, 47 KB)"');
    expect(`${text}${dataExcerpt(letter)}`).not.toMatch(/0123456789abcdef|c2lnbmF0dXJl/);
  });
});
