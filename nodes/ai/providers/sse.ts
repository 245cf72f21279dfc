// Reading a model server's streamed reply as it arrives: server-sent events (WHATWG HTML, "Server-sent events") for
// OpenAI-style APIs, and plain lines for Ollama's newline-delimited JSON. A network chunk may end anywhere (inside a
// line, between \r and \n, inside a UTF-8 character), so nothing here assumes a chunk holds whole lines.

/** One dispatched event. `event` is the server's event name, or `message` when it named none. */
export interface ServerSentEvent {
  event: string;
  data: string;
  /** The last event id the server set, if any. */
  id?: string;
}

/** The body's chunks; stopping early cancels the body, so its connection is not left half-read. */
async function* chunksOf(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      yield value;
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

const LF = 10;
const CR = 13;

/** The body's lines, split at \n, \r\n or \r, without their terminators; a last unterminated line is yielded too. */
export async function* textLines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder(); // streaming decode keeps a character split across chunks whole
  let buffer = '';
  for await (const chunk of chunksOf(body)) {
    buffer += decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let i = 0; i < buffer.length; i++) {
      const c = buffer.charCodeAt(i);
      if (c === LF) {
        yield buffer.slice(start, i);
        start = i + 1;
      } else if (c === CR) {
        if (i + 1 === buffer.length) break; // a \n may open the next chunk: decide then
        yield buffer.slice(start, i);
        if (buffer.charCodeAt(i + 1) === LF) i++;
        start = i + 1;
      }
    }
    buffer = buffer.slice(start);
  }
  buffer += decoder.decode();
  if (buffer.endsWith('\r')) buffer = buffer.slice(0, -1);
  if (buffer) yield buffer;
}

/**
 * The body's events. Comment lines (`: keep-alive`) and unknown fields are skipped; an event is dispatched at the
 * blank line that ends it, so one cut off by the end of the stream is dropped, as the standard says.
 */
export async function* serverSentEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  let data: string[] = [];
  let event = '';
  let id: string | undefined;
  for await (const line of textLines(body)) {
    if (line === '') {
      if (data.length > 0)
        yield { event: event || 'message', data: data.join('\n'), ...(id === undefined ? {} : { id }) };
      data = [];
      event = '';
      continue;
    }
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const raw = colon === -1 ? '' : line.slice(colon + 1);
    const value = raw.startsWith(' ') ? raw.slice(1) : raw;
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
    else if (field === 'id' && !value.includes('\0')) id = value;
  }
}
