// Stored JSON with blob references spliced in, against the real Mongo-protocol server's GridFS: references
// inside stored blobs, wherever GridFS's chunk boundaries cut them, and previews cut at character boundaries.
import mongoose from 'mongoose';
import { connectDb, disconnectDb } from './connection';
import { testDatabaseUri } from '../test/stack';
import { resolvedJsonPrefix, streamResolvedJson } from './blob-json';
import type { BlobRef } from '../contracts/blob-ref';
import { encodeValue, resolveBlobRefs, resolvedJsonBytes } from './blobs';

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

    expectSameText(await text(streamResolvedJson(outer.json, meta.runId)), full);
    expect(outer.bytes).toBe(Buffer.byteLength(full));
    expect(await resolvedJsonBytes(outer.json, meta.runId)).toBe(Buffer.byteLength(full));
  }
  const outer = (await encodeValue([{ first: true }, tail.repeat(27), innerRef], meta)).ref as BlobRef;
  const resolved = await resolveBlobRefs({ wrapped: outer }, meta.runId);
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
    await text(streamResolvedJson(stored, meta.runId)),
    JSON.stringify({ a: big, b: [big, 1], note: 'text with {"$batonBlob":"0" inside' }),
  );
  const lookalike = JSON.stringify({ x: { $batonBlob: 'not-an-id', bytes: 3 } });
  expect(await text(streamResolvedJson(lookalike, meta.runId))).toBe(lookalike);
  expect(await resolvedJsonBytes(lookalike, meta.runId)).toBe(lookalike.length);
});

test('a preview is the start of the full JSON, cut at a character boundary', async () => {
  const value = { text: 'é'.repeat(200_000) }; // two bytes each: a blob
  const stored = await encodeValue(value, meta);
  expect(stored.ref).toBeDefined();
  const preview = await resolvedJsonPrefix(stored.json, meta.runId, 16 * 1024);
  expect(preview).toBe(`{"text":"${'é'.repeat(8187)}`); // 9 + 2 × 8187 = 16383 bytes
  expect(JSON.stringify(value).startsWith(preview)).toBe(true);
  expect(await resolvedJsonPrefix('{"small":1}', meta.runId, 16 * 1024)).toBe('{"small":1}');
});

test('a signed reference to a blob that is gone fails naming the stored value', async () => {
  const ref = (await encodeValue({ text: 'g'.repeat(300_000) }, meta)).ref!;
  await mongoose.connection
    .db!.collection('blobs.files')
    .deleteOne({ _id: new mongoose.Types.ObjectId(ref.$batonBlob) });
  await expect(text(streamResolvedJson(JSON.stringify(ref), meta.runId))).rejects.toThrow(
    new RegExp(`Stored value ${ref.$batonBlob} \\(${ref.bytes} bytes\\) cannot be read from the blob store`),
  );
});

test("references are unforgeable: look-alikes, tampered and other runs' references stay plain data", async () => {
  const secret = { payroll: 'p'.repeat(300_000) };
  const real = (await encodeValue(secret, meta)).ref!;
  const forged = [
    { $batonBlob: real.$batonBlob, bytes: real.bytes }, // unsigned, as in the days before signatures
    { $batonBlob: real.$batonBlob, bytes: real.bytes, sig: 'A'.repeat(22) }, // a guessed signature
    { ...real, bytes: real.bytes + 1 }, // a real signature over other bytes
  ];
  for (const fake of forged) {
    const body = JSON.stringify({ body: fake });
    expect(await text(streamResolvedJson(body, meta.runId))).toBe(body);
    expect(await resolveBlobRefs({ body: fake }, meta.runId)).toEqual({ body: fake });
    expect(await resolvedJsonBytes(body, meta.runId)).toBe(Buffer.byteLength(body));
  }
  // The real reference, copied into another run's data (a webhook body), does not reach this run's blob.
  const copied = JSON.stringify({ body: real });
  expect(await text(streamResolvedJson(copied, 'run-someone-else'))).toBe(copied);
  expect(await resolveBlobRefs({ body: real }, 'run-someone-else')).toEqual({ body: real });
  // In its own run it resolves.
  expect(await resolveBlobRefs({ body: real }, meta.runId)).toEqual({ body: secret });
});
