// Stored JSON with blob references spliced in, against the real Mongo-protocol server's GridFS: references
// inside stored blobs, wherever GridFS's chunk boundaries cut them, and previews cut at character boundaries.
import mongoose from 'mongoose';
import { connectDb, disconnectDb } from '../app/lib/db.server';
import { testDatabaseUri } from '../test/stack';
import { resolvedJsonPrefix, streamResolvedJson } from './blob-json';
import { encodeValue, resolveBlobRefs, resolvedJsonBytes, type BlobRef } from './blob-store';

const meta = { runId: 'run-blob-json', nodeId: 'n', field: 'output' };
const GRIDFS_CHUNK = 255 * 1024;

beforeAll(async () => {
  await connectDb(testDatabaseUri('baton_test_blob_json'));
  await mongoose.connection.db!.dropDatabase();
});

afterAll(async () => {
  await disconnectDb();
});

async function text(chunks: AsyncIterable<Buffer>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts).toString('utf8');
}

/** Equality of long texts, reported as where they first differ rather than as two huge strings. */
function expectSameText(actual: string, expected: string) {
  let at = 0;
  while (at < actual.length && actual[at] === expected[at]) at++;
  const differs = at === actual.length && at === expected.length ? null : at;
  expect({ differs, actual: actual.slice(at, at + 80), expected: expected.slice(at, at + 80) }).toEqual({
    differs: null,
    actual: '',
    expected: '',
  });
}

test('a reference inside a stored blob is resolved wherever a GridFS chunk boundary cuts it', async () => {
  const inner = { text: 'y'.repeat(300_000) };
  const innerRef = (await encodeValue(inner, meta)).ref!;
  const refText = JSON.stringify(innerRef);
  // Where the reference starts, relative to the end of the outer blob's first chunk.
  const cuts = [0, 1, 7, 14, 15, 30, refText.length - 1, refText.length, refText.length + 1];
  const tail = 'z'.repeat(10_000); // keeps the outer value over the blob threshold
  for (const cut of cuts) {
    const padding = 'x'.repeat(GRIDFS_CHUNK - cut - '["",'.length);
    const outer = await encodeValue([padding, innerRef, tail], meta);
    expect(outer.ref).toBeDefined();
    const full = JSON.stringify([padding, inner, tail]);

    expectSameText(await text(streamResolvedJson(outer.json)), full);
    expect(outer.bytes).toBe(Buffer.byteLength(full));
    expect(resolvedJsonBytes(outer.json)).toBe(Buffer.byteLength(full));
  }
  const outer = (await encodeValue([{ first: true }, tail.repeat(27), innerRef], meta)).ref as BlobRef;
  const resolved = await resolveBlobRefs({ wrapped: outer });
  expect(JSON.stringify(resolved) === JSON.stringify({ wrapped: [{ first: true }, tail.repeat(27), inner] })).toBe(
    true,
  );
});

test('inline JSON holding references streams them in place; look-alikes stay as they are', async () => {
  const big = { list: Array.from({ length: 60_000 }, (_, i) => i) };
  const ref = (await encodeValue(big, meta)).ref!;
  expect(ref).toBeDefined();
  const stored = JSON.stringify({ a: ref, b: [ref, 1], note: 'text with {"$batonBlob":"0" inside' });
  expectSameText(
    await text(streamResolvedJson(stored)),
    JSON.stringify({ a: big, b: [big, 1], note: 'text with {"$batonBlob":"0" inside' }),
  );
  const lookalike = JSON.stringify({ x: { $batonBlob: 'not-an-id', bytes: 3 } });
  expect(await text(streamResolvedJson(lookalike))).toBe(lookalike);
  expect(resolvedJsonBytes(lookalike)).toBe(lookalike.length);
});

test('a preview is the start of the full JSON, cut at a character boundary', async () => {
  const value = { text: 'é'.repeat(200_000) }; // two bytes each: a blob
  const stored = await encodeValue(value, meta);
  expect(stored.ref).toBeDefined();
  const preview = await resolvedJsonPrefix(stored.json, 16 * 1024);
  expect(preview).toBe(`{"text":"${'é'.repeat(8187)}`); // 9 + 2 × 8187 = 16383 bytes
  expect(JSON.stringify(value).startsWith(preview)).toBe(true);
  expect(await resolvedJsonPrefix('{"small":1}', 16 * 1024)).toBe('{"small":1}');
});

test('a reference to a blob that is gone fails naming the stored value', async () => {
  const missing = JSON.stringify({ $batonBlob: '0123456789abcdef01234567', bytes: 300_000 });
  await expect(text(streamResolvedJson(missing))).rejects.toThrow(
    /Stored value 0123456789abcdef01234567 \(300000 bytes\) cannot be read from the blob store/,
  );
});
