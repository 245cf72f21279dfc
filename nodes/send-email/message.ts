// What a Send Email step (or an approval email) may send: address lists parsed and checked one by one, and header
// text without line breaks or control characters, so no value from upstream data can add a header or a recipient.
// Problems are reported by field label ("To", "Subject"), as the node's form names them.
import addressparser from 'nodemailer/lib/addressparser';
import { isFileRef, type FileRef } from '../../contracts/file-ref';

export interface MailAddress {
  name?: string;
  address: string;
}

export interface MailAttachment {
  filename: string;
  content: Buffer;
  contentType?: string;
}

export interface OutgoingMail {
  from: MailAddress;
  to: MailAddress[];
  cc: MailAddress[];
  bcc: MailAddress[];
  replyTo: MailAddress[];
  subject: string;
  text?: string;
  html?: string;
  attachments: MailAttachment[];
}

/** A field the message was built from, by its label, and what is wrong with it. */
export class MailFieldError extends Error {
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = 'MailFieldError';
  }
}

export const MAX_RECIPIENTS = 100;
export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;
const MAX_SUBJECT_CHARS = 998; // RFC 5322's line limit

// Printable ASCII and any non-ASCII (international addresses); dot-separated labels in the domain.
const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~\u0080-\uffff-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~\u0080-\uffff-]+)*$/;
const LABEL = /^[A-Za-z0-9\u0080-\uffff]([A-Za-z0-9\u0080-\uffff-]{0,61}[A-Za-z0-9\u0080-\uffff])?$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;

export function isEmailAddress(address: string): boolean {
  const at = address.lastIndexOf('@');
  if (at < 1 || address.length > 254) return false;
  const local = address.slice(0, at);
  const labels = address.slice(at + 1).split('.');
  return local.length <= 64 && LOCAL.test(local) && labels.length >= 2 && labels.every((l) => LABEL.test(l));
}

/** Header text (a subject, a display name): one line, no control characters. */
export function headerText(field: string, value: unknown, max = MAX_SUBJECT_CHARS): string {
  if (typeof value !== 'string') throw new MailFieldError(field, `must be text, not ${describe(value)}`);
  if (/[\r\n]/.test(value)) throw new MailFieldError(field, 'must be one line: line breaks are not allowed');
  if (CONTROL.test(value)) throw new MailFieldError(field, 'contains a control character');
  if (value.length > max) throw new MailFieldError(field, `is ${value.length} characters long; the limit is ${max}`);
  return value;
}

/**
 * A list of addresses from a param: `"a@x.test, Bob <b@y.test>"`, an array of such strings, or objects
 * `{ name?, address }` (as upstream nodes produce them). Empty or absent gives an empty list.
 */
export function addressList(field: string, value: unknown): MailAddress[] {
  if (value === undefined || value === null || value === '') return [];
  const entries = Array.isArray(value) ? value : [value];
  const out: MailAddress[] = [];
  entries.forEach((entry, index) => {
    const where = Array.isArray(value) ? `${field} (entry ${index + 1})` : field;
    if (typeof entry === 'object' && entry !== null && 'address' in entry) {
      const { name, address } = entry as { name?: unknown; address?: unknown };
      out.push(oneAddress(where, address, name));
    } else if (typeof entry === 'string') {
      if (/[\r\n]/.test(entry)) throw new MailFieldError(where, 'line breaks are not allowed in addresses');
      for (const parsed of addressparser(entry, { flatten: true })) {
        if (!parsed.address && !parsed.name) continue;
        out.push(oneAddress(where, parsed.address || parsed.name, parsed.name || undefined));
      }
    } else {
      throw new MailFieldError(
        where,
        `must be an email address, a list of them or { name, address }, not ${describe(entry)}`,
      );
    }
  });
  return out;
}

function oneAddress(field: string, address: unknown, name: unknown): MailAddress {
  if (typeof address !== 'string' || !isEmailAddress(address.trim())) {
    throw new MailFieldError(field, `${JSON.stringify(address)} is not an email address`);
  }
  if (name === undefined || name === null || name === '') return { address: address.trim() };
  return { name: headerText(`${field} name`, name, 256), address: address.trim() };
}

export interface MailDraft {
  from: unknown;
  to: unknown;
  cc?: unknown;
  bcc?: unknown;
  replyTo?: unknown;
  subject: unknown;
  text?: unknown;
  html?: unknown;
  attachments?: unknown;
}

/** The message checked field by field; the first problem is thrown as a MailFieldError. */
export function buildMail(draft: MailDraft): OutgoingMail {
  const from = addressList('From', draft.from);
  if (from.length !== 1) throw new MailFieldError('From', from.length ? 'must be one address' : 'is required');
  const to = addressList('To', draft.to);
  const cc = addressList('CC', draft.cc);
  const bcc = addressList('BCC', draft.bcc);
  if (to.length + cc.length + bcc.length === 0) throw new MailFieldError('To', 'names no recipient');
  if (to.length + cc.length + bcc.length > MAX_RECIPIENTS) {
    throw new MailFieldError(
      'To',
      `To, CC and BCC name ${to.length + cc.length + bcc.length} recipients; the limit is ${MAX_RECIPIENTS}`,
    );
  }
  const text = optionalBody('Text', draft.text);
  const html = optionalBody('HTML', draft.html);
  if (text === undefined && html === undefined) throw new MailFieldError('Text', 'a text or an HTML body is required');
  return {
    from: from[0],
    to,
    cc,
    bcc,
    replyTo: addressList('Reply to', draft.replyTo),
    subject: headerText('Subject', draft.subject ?? ''),
    text,
    html,
    attachments: attachmentList(draft.attachments),
  };
}

function optionalBody(field: string, value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new MailFieldError(field, `must be text, not ${describe(value)}`);
  return value;
}

/** Reads a file value's bytes once its reference is checked (RunContext `files.read`); throws naming `field`. */
export type FileReader = (value: unknown, field: string, maxBytes: number) => Promise<{ ref: FileRef; data: Buffer }>;

/**
 * The attachments param with its file values read: a file (`{{ $node("PDF").file }}`), or a list holding files,
 * `{ file, filename?, contentType? }` entries and inline `{ filename, content }` ones. File sizes are added up from
 * their references first, so a file over the limit is refused before any is read.
 */
export async function withFileAttachments(value: unknown, read: FileReader | undefined): Promise<unknown> {
  const list = isFileRef(value) ? [value] : value;
  if (!Array.isArray(list)) return value;
  const fileOf = (entry: unknown): FileRef | undefined =>
    isFileRef(entry)
      ? entry
      : isFileRef((entry as { file?: unknown } | null)?.file)
        ? (entry as { file: FileRef }).file
        : undefined;
  // A single file is "Attachments"; an entry of a list is "Attachments (entry n)".
  const fieldOf = (index: number) => (list === value ? `Attachments (entry ${index + 1})` : 'Attachments');
  let declared = 0;
  list.forEach((entry, index) => {
    const file = fileOf(entry);
    if (!file) return;
    declared += file.bytes;
    if (declared > MAX_ATTACHMENT_BYTES)
      throw new MailFieldError(
        fieldOf(index),
        `the file "${file.name}" is ${megabytes(file.bytes)}; ${declared === file.bytes ? 'the limit of attachments is' : 'attachments add up to more than'} ${megabytes(MAX_ATTACHMENT_BYTES)}`,
      );
  });
  if (declared === 0) return list;
  if (!read) throw new MailFieldError('Attachments', 'files cannot be read where this node runs');
  return Promise.all(
    list.map(async (entry, index) => {
      const file = fileOf(entry);
      if (!file) return entry;
      const { ref, data } = await read(file, fieldOf(index), MAX_ATTACHMENT_BYTES);
      const named = entry as { filename?: unknown; contentType?: unknown };
      return {
        filename: file === entry || named.filename === undefined ? ref.name : named.filename,
        content: data,
        contentType: file === entry || named.contentType === undefined ? ref.mimeType : named.contentType,
      };
    }),
  );
}

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MB`;

/**
 * `[{ filename, content, encoding?: 'base64' | 'utf8', contentType? }]`; `content` is a Buffer only for files read
 * by `withFileAttachments` (a Buffer cannot come from a param).
 */
function attachmentList(value: unknown): MailAttachment[] {
  if (value === undefined || value === null || value === '') return [];
  if (!Array.isArray(value)) throw new MailFieldError('Attachments', `must be a list, not ${describe(value)}`);
  let total = 0;
  return value.map((entry, index) => {
    const field = `Attachments (entry ${index + 1})`;
    if (isFileRef(entry) || isFileRef((entry as { file?: unknown } | null)?.file))
      throw new MailFieldError(field, 'is a file that was not read; this node cannot send files here');
    const { filename, content, encoding, contentType } = (entry ?? {}) as Record<string, unknown>;
    if (typeof content !== 'string' && !Buffer.isBuffer(content))
      throw new MailFieldError(
        field,
        'needs `content` as text (or base64 with `encoding: "base64"`), or a file such as {{ $node("PDF").file }}',
      );
    if (encoding !== undefined && encoding !== 'base64' && encoding !== 'utf8') {
      throw new MailFieldError(field, `encoding must be "base64" or "utf8", not ${JSON.stringify(encoding)}`);
    }
    const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content, encoding === 'base64' ? 'base64' : 'utf8');
    total += bytes.length;
    if (total > MAX_ATTACHMENT_BYTES) {
      throw new MailFieldError(field, `attachments add up to more than ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`);
    }
    return {
      filename: headerText(`${field} filename`, filename ?? '', 255) || `attachment-${index + 1}`,
      content: bytes,
      ...(contentType === undefined ? {} : { contentType: headerText(`${field} contentType`, contentType, 255) }),
    };
  });
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
