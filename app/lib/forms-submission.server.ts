// Reads and checks what a hosted form page posts (decision 049): a plain form post or multipart with files, each
// named `form.<key>` like the approval form (app/components/approvals/ApprovalFormFields.tsx). Bodies are streamed:
// a file over the page's limit is counted and dropped, never held, so the page can say which field was too large;
// past MAX_FORM_BODY_BYTES the request is refused whole. Values are checked with the approval form's rules
// (contracts/approval-rules.ts), and every problem is reported next to its field.
import { unstable_parseMultipartFormData as parseMultipart, type UploadHandlerPart } from '@remix-run/node';
import { fieldProblem, isBlankValue } from '../../contracts/approval-rules';
import type { FileRef } from '../../contracts/file-ref';
import { MAX_FORM_FILES_BYTES, type FormField, type FormPage } from '../../contracts/form-page';
import { saveFile } from '../../db/files';
import { formatSize } from '../../nodes/json-value';
import { readBodyUpTo, tooLarge } from './http.server';

/** Beyond this a post is refused whole (a 413); below it, an oversized file is drained to name its field. */
export const MAX_FORM_BODY_BYTES = 110 * 1024 * 1024;
const URLENCODED_LIMIT = 1024 * 1024;
const TEXT_PART_LIMIT = 64 * 1024;
const CONTROL_LIMIT = 4096;
/** Longest answer, in characters: a textarea, and every other text-like field. */
const LONGEST = { textarea: 20_000, other: 1_000 } as const;
const PREFIX = 'form.';

export interface Upload {
  name: string;
  mimeType: string;
  data: Buffer;
}

export interface Submission {
  /** Posted values that are not answers (intent, pass, step), by name. */
  control: Record<string, string>;
  /** By field key: text as typed, numbers, booleans. Files are in `uploads`. */
  answers: Record<string, unknown>;
  uploads: Record<string, Upload>;
  /** Problems found while reading (a file too large), by field key. */
  problems: Record<string, string>;
}

/** Sets an own property even for a key such as `__proto__` (field keys are names people chose). */
const put = (o: Record<string, unknown>, key: string, value: unknown) =>
  Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
const own = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);

class BodyTooLarge extends Error {}

function capped(body: ReadableStream<Uint8Array>, limit: number): ReadableStream<Uint8Array> {
  let seen = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > limit) controller.error(new BodyTooLarge());
        else controller.enqueue(chunk);
      },
    }),
  );
}

const refusedWhole = () =>
  tooLarge(
    `This form post is larger than ${formatSize(MAX_FORM_BODY_BYTES)}, so it was not read and nothing was submitted. ` +
      'Go back and choose smaller files.',
    'text',
  );

/** The posted form, read against the page's fields; throws a 413 or 400 Response for a body it cannot read. */
export async function readSubmission(request: Request, page: FormPage): Promise<Submission> {
  const type = request.headers.get('Content-Type') ?? '';
  const raw: { text: Map<string, string>; uploads: Record<string, Upload>; problems: Record<string, string> } = {
    text: new Map(),
    uploads: {},
    problems: {},
  };
  if (/^multipart\/form-data\b/i.test(type)) await readMultipart(request, page, raw);
  else if (/^application\/x-www-form-urlencoded\b/i.test(type)) {
    const body = await readBodyUpTo(request, URLENCODED_LIMIT);
    if (!body) throw refusedWhole();
    for (const [name, value] of new URLSearchParams(Buffer.from(body).toString('utf8')))
      if (!raw.text.has(name)) raw.text.set(name, value);
  } else
    throw new Response('Send this form as application/x-www-form-urlencoded or multipart/form-data.', {
      status: 400,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    });
  return typedSubmission(page, raw);
}

async function readMultipart(
  request: Request,
  page: FormPage,
  raw: { text: Map<string, string>; uploads: Record<string, Upload>; problems: Record<string, string> },
) {
  if (Number(request.headers.get('Content-Length') ?? 0) > MAX_FORM_BODY_BYTES || !request.body) throw refusedWhole();
  const fileFields = new Map(page.fields.filter((f) => f.type === 'file').map((f) => [PREFIX + f.key, f]));
  let filesBytes = 0;
  const handle = async (part: UploadHandlerPart): Promise<undefined> => {
    const field = fileFields.get(part.name);
    const limit = field ? page.maxFileBytes : part.name.startsWith(PREFIX) ? TEXT_PART_LIMIT : CONTROL_LIMIT;
    const chunks: Uint8Array[] = [];
    let size = 0;
    // Read to the end even past the limit: the next parts (and the browser's wait for an answer) come after it.
    for await (const chunk of part.data) {
      size += chunk.byteLength;
      if (size <= limit) chunks.push(chunk);
    }
    if (field) {
      const name = part.filename ?? '';
      if (size === 0 && name === '') return undefined; // the file input was left empty
      const key = part.name.slice(PREFIX.length);
      if (size > limit)
        raw.problems[key] = `is larger than ${formatSize(limit)} (the file “${name}” is ${formatSize(size)})`;
      else if (filesBytes + size > MAX_FORM_FILES_BYTES)
        raw.problems[key] =
          `would take the files of this page past ${formatSize(MAX_FORM_FILES_BYTES)} together; choose a smaller file`;
      else if (!own(raw.uploads, key)) {
        filesBytes += size;
        put(raw.uploads, key, { name, mimeType: part.contentType, data: Buffer.concat(chunks) });
      }
      return undefined;
    }
    if (size > limit) {
      if (part.name.startsWith(PREFIX))
        raw.problems[part.name.slice(PREFIX.length)] = `is too long (${formatSize(size)})`;
      return undefined;
    }
    if (!raw.text.has(part.name)) raw.text.set(part.name, Buffer.concat(chunks).toString('utf8'));
    return undefined;
  };
  const body = capped(request.body, MAX_FORM_BODY_BYTES);
  const streamed = new Request(request.url, { method: 'POST', headers: request.headers, body, duplex: 'half' });
  try {
    await parseMultipart(streamed, handle);
  } catch (err) {
    if (err instanceof BodyTooLarge || (err as { cause?: unknown })?.cause instanceof BodyTooLarge)
      throw refusedWhole();
    throw new Response(`The submitted form could not be read: ${(err as Error).message}.`, {
      status: 400,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    });
  }
}

/**
 * A posted text as the field's type wants it; what does not fit stays text, for the check to name. Line breaks
 * arrive as CRLF (browsers send them so) and are kept as LF.
 */
function typedAnswer(field: FormField, posted: string | undefined): unknown {
  if (field.type === 'boolean') return posted === 'true' || posted === 'on';
  const text = posted?.replace(/\r\n?/g, '\n');
  if (text === undefined || text.trim() === '') return undefined;
  if (field.type === 'number') {
    const n = Number(text.trim());
    return Number.isFinite(n) ? n : text;
  }
  return text;
}

function typedSubmission(
  page: FormPage,
  raw: { text: Map<string, string>; uploads: Record<string, Upload>; problems: Record<string, string> },
): Submission {
  const answers: Record<string, unknown> = {};
  for (const field of page.fields) {
    if (field.type === 'file') continue;
    const value = typedAnswer(field, raw.text.get(PREFIX + field.key));
    if (value !== undefined) put(answers, field.key, value);
  }
  const control: Record<string, string> = {};
  for (const [name, value] of raw.text) if (!name.startsWith(PREFIX)) put(control, name, value);
  return { control, answers, uploads: raw.uploads, problems: raw.problems };
}

/** Each refused field's message, by key, naming the field ("Email must be an email address…"). */
export function answerProblems(page: FormPage, submission: Submission): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const field of page.fields) {
    const found = own(submission.problems, field.key) ? submission.problems[field.key] : undefined;
    const value = field.type === 'file' ? submission.uploads[field.key] : submission.answers[field.key];
    const problem = found ?? (isBlankValue(value) ? (field.required ? 'is required' : undefined) : check(field, value));
    if (problem) put(problems, field.key, problem);
  }
  return problems;
}

function check(field: FormField, value: unknown): string | undefined {
  if (field.type === 'file') return undefined; // an upload read within its limit
  const longest = field.type === 'textarea' ? LONGEST.textarea : LONGEST.other;
  if (typeof value === 'string' && value.length > longest)
    return `is too long (${value.length} characters; the limit is ${longest})`;
  return fieldProblem(field, field.type === 'email' && typeof value === 'string' ? value.trim() : value);
}

/**
 * The answers as the run sees them: emails trimmed, files stored as files of the run (deleted with it by retention)
 * and given as signed references.
 */
export async function storedAnswers(
  page: FormPage,
  submission: Submission,
  owner: { workspaceId: string; runId?: string; nodeId: string; uploadedBy?: string },
): Promise<Record<string, unknown>> {
  const values: Record<string, unknown> = {};
  for (const field of page.fields) {
    if (field.type === 'file') {
      const upload = own(submission.uploads, field.key) ? submission.uploads[field.key] : undefined;
      if (!upload) continue;
      const ref: FileRef = await saveFile(upload.data, { ...owner, name: upload.name, mimeType: upload.mimeType });
      put(values, field.key, ref);
    } else if (own(submission.answers, field.key)) {
      const value = submission.answers[field.key];
      put(values, field.key, field.type === 'email' && typeof value === 'string' ? value.trim() : value);
    }
  }
  return values;
}

/** What the page shows again after a refusal: the answers as typed (files must be chosen again). */
export const answersToShow = (submission: Submission): Record<string, unknown> => ({ ...submission.answers });
