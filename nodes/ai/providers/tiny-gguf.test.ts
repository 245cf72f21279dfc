// The tiny test model's file: GGUF v3 bytes that node-llama-cpp's own GGUF reader parses back into the llama
// metadata and tensors we wrote, the same bytes for the same seed, and one file reused across calls.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readGgufFileInfo } from 'node-llama-cpp';
import { ensureTinyModel, TINY_LLAMA, tinyGgufBytes, writeTinyGguf } from './tiny-gguf';

const VOCABULARY = 3 + 256 + 95;
const TENSORS = 2 + 9 * TINY_LLAMA.layers + 1;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'baton-tiny-gguf-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('the file starts with the GGUF v3 header and its counts', async () => {
  const file = path.join(dir, 'header.gguf');
  await writeTinyGguf(file);
  const bytes = await readFile(file);
  expect(bytes.subarray(0, 4).toString('latin1')).toBe('GGUF');
  expect(bytes.readUInt32LE(4)).toBe(3);
  expect(bytes.readBigUInt64LE(8)).toBe(BigInt(TENSORS));
  expect(bytes.readBigUInt64LE(16)).toBe(18n);
  expect(bytes.length % 32).toBe(0);
});

test("node-llama-cpp's GGUF reader parses back the llama metadata, vocabulary and aligned tensors", async () => {
  const file = path.join(dir, 'parsed.gguf');
  await writeTinyGguf(file, { seed: 7 });
  const info = await readGgufFileInfo(file, { sourceType: 'filesystem' });
  expect(info.version).toBe(3);
  expect(info.metadata.general.architecture).toBe('llama');
  expect(info.metadata.general.alignment).toBe(32);
  expect(info.architectureMetadata).toMatchObject({
    context_length: TINY_LLAMA.contextLength,
    embedding_length: TINY_LLAMA.embedding,
    block_count: TINY_LLAMA.layers,
    feed_forward_length: TINY_LLAMA.feedForward,
    attention: { head_count: TINY_LLAMA.heads, head_count_kv: TINY_LLAMA.heads },
    rope: { dimension_count: TINY_LLAMA.embedding / TINY_LLAMA.heads },
  });
  const tokenizer = info.metadata.tokenizer?.ggml;
  expect(tokenizer?.model).toBe('llama');
  expect(tokenizer?.tokens).toHaveLength(VOCABULARY);
  expect(tokenizer?.tokens.slice(0, 4)).toEqual(['<unk>', '<s>', '</s>', '<0x00>']);
  expect(tokenizer?.tokens).toContain('<0x0A>');
  expect(tokenizer?.token_type?.slice(0, 4)).toEqual([2, 3, 3, 6]);
  expect([tokenizer?.bos_token_id, tokenizer?.eos_token_id, tokenizer?.unknown_token_id]).toEqual([1, 2, 0]);

  const tensors = info.tensorInfo ?? [];
  expect(tensors.map((t) => t.name)).toEqual(
    expect.arrayContaining(['token_embd.weight', 'blk.1.ffn_down.weight', 'output_norm.weight', 'output.weight']),
  );
  expect(tensors).toHaveLength(TENSORS);
  const embedding = tensors.find((t) => t.name === 'token_embd.weight');
  expect(embedding?.dimensions.map(Number)).toEqual([TINY_LLAMA.embedding, VOCABULARY]);
  for (const tensor of tensors) expect(Number(tensor.offset) % 32).toBe(0);
  const last = tensors[tensors.length - 1];
  const lastBytes = last.dimensions.map(Number).reduce((a, b) => a * b, 4);
  expect((await stat(file)).size).toBeGreaterThanOrEqual(Number(last.fileOffset) + lastBytes);
});

test('the same seed writes the same bytes and another seed other weights', () => {
  const first = tinyGgufBytes(3);
  expect(tinyGgufBytes(3).equals(first)).toBe(true);
  const other = tinyGgufBytes(4);
  expect(other.length).toBe(first.length);
  expect(other.equals(first)).toBe(false);
});

test('ensureTinyModel writes the model once and then reuses the file', async () => {
  const models = path.join(dir, 'models');
  const file = await ensureTinyModel(models);
  const written = (await stat(file)).mtimeMs;
  expect(await ensureTinyModel(models)).toBe(file);
  expect((await stat(file)).mtimeMs).toBe(written);
  expect((await readFile(file)).equals(tinyGgufBytes())).toBe(true);
});
