// The stream readers against bodies cut at every possible place: lines, CRLF pairs and UTF-8 characters split
// across chunks, comments, multi-line data, and an event cut off by the end of the stream.
import { serverSentEvents, textLines } from './sse';

/** A body delivering `bytes` in chunks of `size` bytes (1 splits everything that can be split). */
function body(text: string, size: number): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  return new ReadableStream({
    start(controller) {
      for (let at = 0; at < bytes.length; at += size) controller.enqueue(bytes.slice(at, at + size));
      controller.close();
    },
  });
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const STREAM = [
  ': keep-alive',
  '',
  'data: {"text":"Grüße 👋"}',
  '',
  'event: content_block_delta',
  'data: {"a":1}',
  '',
  'data: first line',
  'data:second line',
  'id: 7',
  'retry: 100',
  '',
  'data: [DONE]',
  '',
  'data: cut off before its blank line',
].join('\r\n');

test.each([1, 2, 3, 7, 1000])('events come whole however the body is chunked (%i-byte chunks)', async (size) => {
  expect(await collect(serverSentEvents(body(STREAM, size)))).toEqual([
    { event: 'message', data: '{"text":"Grüße 👋"}' },
    { event: 'content_block_delta', data: '{"a":1}' },
    { event: 'message', data: 'first line\nsecond line', id: '7' },
    { event: 'message', data: '[DONE]', id: '7' },
  ]);
});

test('lines end at \\n, \\r\\n or a lone \\r, and a last line without a terminator is kept', async () => {
  const text = 'one\ntwo\r\nthree\rfour\r\n\r\nfive';
  for (const size of [1, 4, 100]) {
    expect(await collect(textLines(body(text, size)))).toEqual(['one', 'two', 'three', 'four', '', 'five']);
  }
});

test('a reader that stops early cancels the body', async () => {
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      controller.enqueue(new TextEncoder().encode('data: x\n\n'));
    },
    cancel() {
      cancelled = true;
    },
  });
  for await (const event of serverSentEvents(stream)) {
    expect(event.data).toBe('x');
    break;
  }
  expect(cancelled).toBe(true);
});
