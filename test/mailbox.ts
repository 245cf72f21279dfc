// Reading a real mailbox in tests: Mailpit's HTTP API (BATON_MAILPIT_URL). `npm test` and a bare jest run start
// Mailpit with the other services; a jest run handed TEMPORAL_ADDRESS and MONGODB_URI gets one of its own from
// `ensureMailpit()` (in a temporary directory, stopped by the returned `stop`).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { resolveHome, servicePaths } from '../temporal/services';
import { startMailServer } from '../temporal/services/mail-server';

export interface MailAddress {
  Name: string;
  Address: string;
}

/** A message as Mailpit lists it. */
export interface MailSummary {
  ID: string;
  MessageID: string;
  From: MailAddress;
  To: MailAddress[];
  Cc: MailAddress[] | null;
  Bcc: MailAddress[] | null;
  ReplyTo: MailAddress[] | null;
  Subject: string;
  Created: string;
  Attachments: number;
}

/** A message read whole: bodies, attachments and the list of recipients. */
export interface MailMessage extends Omit<MailSummary, 'Attachments'> {
  Text: string;
  HTML: string;
  Attachments: Array<{ PartID: string; FileName: string; ContentType: string; Size: number }>;
}

export interface Mailpit {
  smtpUrl: string;
  apiUrl: string;
  stop(): Promise<void>;
}

/**
 * The Mailpit this test run sends to, started here when the environment names none. Sets BATON_SMTP_URL and
 * BATON_MAILPIT_URL in process.env, so the code under test and the processes a test spawns send there.
 */
export async function ensureMailpit(): Promise<Mailpit> {
  const { BATON_SMTP_URL: smtpUrl, BATON_MAILPIT_URL: apiUrl } = process.env;
  if (smtpUrl && apiUrl) return { smtpUrl, apiUrl, stop: async () => undefined };
  if (smtpUrl) {
    throw new Error(
      "BATON_SMTP_URL is set but BATON_MAILPIT_URL is not: tests read what was sent through Mailpit's API; set both, or neither.",
    );
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'baton-mailpit-'));
  const shared = servicePaths(resolveHome(), 'test');
  const paths = { ...servicePaths(dir, 'test'), binDir: shared.binDir, logsDir: dir };
  const log = (line: string) => process.stderr.write(`[baton] ${line}\n`);
  const server = await startMailServer({ paths, profile: 'test', log, env: process.env });
  process.env.BATON_SMTP_URL = server.smtpUrl;
  process.env.BATON_MAILPIT_URL = server.apiUrl;
  return {
    smtpUrl: server.smtpUrl,
    apiUrl: server.apiUrl,
    async stop() {
      await server.process.stop();
      delete process.env.BATON_SMTP_URL;
      delete process.env.BATON_MAILPIT_URL;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function apiUrl(): string {
  const url = process.env.BATON_MAILPIT_URL;
  if (!url) throw new Error('BATON_MAILPIT_URL is not set; call ensureMailpit() first.');
  return url.replace(/\/+$/, '');
}

async function api<T>(pathAndQuery: string): Promise<T> {
  const response = await fetch(`${apiUrl()}/api/v1/${pathAndQuery}`, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`Mailpit GET /api/v1/${pathAndQuery} answered ${response.status}`);
  return (await response.json()) as T;
}

const addressed = (message: MailSummary, address: string) =>
  [...message.To, ...(message.Cc ?? []), ...(message.Bcc ?? [])].some(
    (to) => to.Address.toLowerCase() === address.toLowerCase(),
  );

/** Every message addressed to `address` (To, Cc or Bcc), newest first. */
export async function messagesTo(address: string): Promise<MailSummary[]> {
  const found: MailSummary[] = [];
  for (let start = 0; ; start += 500) {
    const page = await api<{ messages: MailSummary[]; messages_count: number }>(
      `search?query=${encodeURIComponent(`"${address}"`)}&start=${start}&limit=500`,
    );
    found.push(...page.messages.filter((m) => addressed(m, address)));
    if (page.messages.length < 500) return found;
  }
}

export async function readMessage(id: string): Promise<MailMessage> {
  return api<MailMessage>(`message/${encodeURIComponent(id)}`);
}

/** The message's headers as sent, each name with all its values. */
export async function messageHeaders(id: string): Promise<Record<string, string[]>> {
  return api<Record<string, string[]>>(`message/${encodeURIComponent(id)}/headers`);
}

/** The bytes of one attachment. */
export async function attachmentContent(id: string, partId: string): Promise<Buffer> {
  const response = await fetch(`${apiUrl()}/api/v1/message/${encodeURIComponent(id)}/part/${partId}`);
  if (!response.ok) throw new Error(`Mailpit attachment ${partId} of ${id} answered ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

/**
 * Waits until a message to `address` (whose subject matches `subject`, when given) arrives, and reads it whole.
 * Fails naming what did arrive for that address.
 */
export async function waitForMessage(
  address: string,
  opts: { subject?: string | RegExp; timeoutMs?: number } = {},
): Promise<MailMessage> {
  const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
  const matches = (m: MailSummary) =>
    opts.subject === undefined ||
    (typeof opts.subject === 'string' ? m.Subject.includes(opts.subject) : opts.subject.test(m.Subject));
  for (;;) {
    const all = await messagesTo(address);
    const hit = all.find(matches);
    if (hit) return readMessage(hit.ID);
    if (Date.now() > deadline) {
      const seen = all.map((m) => `"${m.Subject}"`).join(', ') || 'none';
      throw new Error(
        `No message to ${address}${opts.subject ? ` with subject ${opts.subject}` : ''} arrived; seen: ${seen}.`,
      );
    }
    await sleep(200);
  }
}

/** Waits until at least `count` messages to `address` arrived; returns them all (newest first). */
export async function waitForMessages(address: string, count: number, timeoutMs = 20_000): Promise<MailSummary[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const all = await messagesTo(address);
    if (all.length >= count) return all;
    if (Date.now() > deadline) throw new Error(`${all.length} of ${count} messages to ${address} arrived.`);
    await sleep(200);
  }
}

/** The first link in the message's text body that matches `pattern` (an approval link by default). */
export function extractLink(message: Pick<MailMessage, 'Text' | 'ID'>, pattern = /\/approvals\/link\//): string {
  const link = message.Text.match(/https?:\/\/[^\s<>"]+/g)?.find((url) => pattern.test(url));
  if (!link) throw new Error(`Message ${message.ID} has no link matching ${pattern} in its text.`);
  return link;
}
