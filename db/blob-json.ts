// The JSON text of a stored value with its blob references spliced in, streamed: what a download of a
// large step output or run output sends, and what its preview is cut from. Never holds a whole blob.
import { openBlobStream, refCheckFor, type RefCheck } from './blobs';

const MARK = Buffer.from('{"$batonBlob":"');
const REF_AT_START = /^\{"\$batonBlob":"([0-9a-f]{24})","bytes":(\d{1,16}),"sig":"([A-Za-z0-9_-]{22})"\}/;
/** Longest reference text: the mark, 24 hex digits, `","bytes":`, 16 digits, `,"sig":"`, 22 characters, `"}`. */
const MAX_REF_TEXT = MARK.length + 24 + '","bytes":'.length + 16 + ',"sig":"'.length + 22 + '"}'.length;

/**
 * `json` (stored text of run `runId`: inline JSON, possibly holding references) as the full JSON text,
 * chunk by chunk. Only the run's own signed references are spliced in; look-alikes stay as they are.
 */
export async function* streamResolvedJson(json: string, runId: string): AsyncGenerator<Buffer> {
  if (!json.includes('"$batonBlob"')) {
    yield Buffer.from(json);
    return;
  }
  yield* spliceRefs([Buffer.from(json)], await refCheckFor(runId));
}

/** At most the first `maxBytes` of the full JSON text, cut at a character boundary. */
export async function resolvedJsonPrefix(json: string, runId: string, maxBytes: number): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of streamResolvedJson(json, runId)) {
    parts.push(chunk);
    size += chunk.length;
    if (size >= maxBytes) break; // stops reading the blob too
  }
  const text = Buffer.concat(parts);
  let end = Math.min(maxBytes, text.length);
  while (end > 0 && end < text.length && (text[end] & 0xc0) === 0x80) end--; // inside a UTF-8 sequence
  return text.subarray(0, end).toString('utf8');
}

async function* spliceRefs(chunks: AsyncIterable<Buffer> | Iterable<Buffer>, check: RefCheck): AsyncGenerator<Buffer> {
  let pending: Buffer = Buffer.alloc(0);
  for await (const chunk of chunks) pending = yield* emitUntilUnsure(Buffer.concat([pending, chunk]), false, check);
  yield* emitUntilUnsure(pending, true, check);
}

/**
 * Emits `text` with references expanded (recursively: a stored value may hold references itself) up to
 * where a reference could still be cut off by the chunk boundary; returns that unsure tail.
 */
async function* emitUntilUnsure(text: Buffer, final: boolean, check: RefCheck): AsyncGenerator<Buffer, Buffer> {
  let from = 0;
  for (;;) {
    const at = text.indexOf(MARK, from);
    if (at === -1) {
      const end = final ? text.length : Math.max(from, text.length - (MARK.length - 1));
      if (end > from) yield text.subarray(from, end);
      return text.subarray(end);
    }
    const match = REF_AT_START.exec(text.subarray(at, at + MAX_REF_TEXT).toString('latin1'));
    const ref = match && check(match[1], Number(match[2]), match[3]) ? match : null;
    if (!match && !final && text.length - at < MAX_REF_TEXT) {
      if (at > from) yield text.subarray(from, at);
      return text.subarray(at);
    }
    if (at > from) yield text.subarray(from, at);
    if (ref) {
      yield* spliceRefs(openBlobStream({ $batonBlob: ref[1], bytes: Number(ref[2]), sig: ref[3] }), check);
      from = at + ref[0].length;
    } else {
      yield text.subarray(at, at + 1); // looked like a reference but is not one
      from = at + 1;
    }
  }
}
