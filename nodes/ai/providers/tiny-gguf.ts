// A tiny random-weight llama model written as a GGUF v3 file (ggml-org/ggml docs/gguf.md), so the embedded-model
// tests and the agent benchmark run a real llama.cpp on CPU with nothing downloaded and no Python. Two layers, 64
// dimensions, a 354-token SentencePiece vocabulary (byte fallback plus printable ASCII): it talks nonsense, but
// grammar-constrained output from it still parses. The same seed writes the same bytes.
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The model's shape; `llama.*` metadata and the tensor dimensions both come from here. */
export const TINY_LLAMA = {
  layers: 2,
  embedding: 64,
  heads: 4,
  feedForward: 128,
  // Room for an agent prompt with a few tools: the vocabulary spends about a token per character.
  contextLength: 2048,
} as const;

/** Bumped when the file's contents change, so `ensureTinyModel` never reuses a file from an older writer. */
const FORMAT_REVISION = 1;
const ALIGNMENT = 32;
const DEFAULT_SEED = 42;

/** GGUF metadata value types (gguf_metadata_value_type). */
const VALUE_TYPE = { u32: 4, i32: 5, f32: 6, string: 8, array: 9 } as const;

/** SentencePiece token types as llama.cpp reads `tokenizer.ggml.token_type`. */
const TOKEN_TYPE = { normal: 1, unknown: 2, control: 3, byte: 6 } as const;

type MetadataValue =
  | { kind: 'u32' | 'f32'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'strings'; value: string[] }
  | { kind: 'i32s' | 'f32s'; value: number[] };

interface Tensor {
  name: string;
  /** ggml order: the fastest-moving dimension first (token_embd is [embedding, vocabulary]). */
  dims: number[];
  data: Float32Array;
}

/** Writes the tiny model to `file` (overwriting it); the same seed gives the same bytes. */
export async function writeTinyGguf(file: string, opts: { seed?: number } = {}): Promise<void> {
  await writeFile(file, tinyGgufBytes(opts.seed ?? DEFAULT_SEED));
}

/** The model file under `dir`, written on first use and reused after; returns its path. */
export async function ensureTinyModel(dir = defaultModelDir()): Promise<string> {
  const file = path.join(dir, `tiny-llama-r${FORMAT_REVISION}-seed${DEFAULT_SEED}.gguf`);
  if (existsSync(file)) return file;
  await mkdir(dir, { recursive: true });
  // Written aside and renamed, so a parallel test worker never loads a half-written file.
  const partial = `${file}.${process.pid}.partial`;
  await writeTinyGguf(partial);
  await rename(partial, file);
  return file;
}

/** `$BATON_HOME/models` when the app runs, else a shared folder under the OS temp dir for tests. */
export function defaultModelDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.BATON_HOME ? path.join(env.BATON_HOME, 'models') : path.join(tmpdir(), 'baton-test-models');
}

/** The whole file: header, metadata, tensor infos, then the 32-byte aligned tensor data. */
export function tinyGgufBytes(seed = DEFAULT_SEED): Buffer {
  const vocabulary = tinyVocabulary();
  const tensors = tinyTensors(vocabulary.tokens.length, mulberry32(seed));
  const metadata = tinyMetadata(vocabulary);
  const out = new ByteWriter();
  out.raw(Buffer.from('GGUF', 'latin1'));
  out.u32(3);
  out.u64(tensors.length);
  out.u64(metadata.length);
  for (const [key, value] of metadata) writeMetadata(out, key, value);
  let offset = 0;
  for (const tensor of tensors) {
    out.string(tensor.name);
    out.u32(tensor.dims.length);
    for (const dim of tensor.dims) out.u64(dim);
    out.u32(0); // GGML_TYPE_F32
    out.u64(offset);
    offset = alignUp(offset + tensor.data.byteLength);
  }
  out.pad();
  for (const tensor of tensors) {
    out.raw(Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength));
    out.pad();
  }
  return out.bytes();
}

/** `<unk>`, `<s>`, `</s>`, the 256 byte tokens llama.cpp falls back to, then `▁` (space) and printable ASCII. */
function tinyVocabulary(): { tokens: string[]; types: number[]; scores: number[] } {
  const tokens = ['<unk>', '<s>', '</s>'];
  const types: number[] = [TOKEN_TYPE.unknown, TOKEN_TYPE.control, TOKEN_TYPE.control];
  for (let byte = 0; byte < 256; byte++) {
    tokens.push(`<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`);
    types.push(TOKEN_TYPE.byte);
  }
  // SentencePiece writes a space as U+2581; a plain ' ' piece would never match the escaped text.
  const pieces = ['\u2581', ...Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => String.fromCharCode(0x21 + i))];
  for (const piece of pieces) {
    tokens.push(piece);
    types.push(TOKEN_TYPE.normal);
  }
  return { tokens, types, scores: tokens.map((_, i) => (types[i] === TOKEN_TYPE.normal ? -i : 0)) };
}

function tinyMetadata(vocabulary: ReturnType<typeof tinyVocabulary>): Array<[string, MetadataValue]> {
  const u32 = (value: number): MetadataValue => ({ kind: 'u32', value });
  const { layers, embedding, heads, feedForward, contextLength } = TINY_LLAMA;
  return [
    ['general.architecture', { kind: 'string', value: 'llama' }],
    ['general.name', { kind: 'string', value: 'baton-tiny-llama' }],
    ['general.alignment', u32(ALIGNMENT)],
    ['llama.context_length', u32(contextLength)],
    ['llama.embedding_length', u32(embedding)],
    ['llama.block_count', u32(layers)],
    ['llama.feed_forward_length', u32(feedForward)],
    ['llama.attention.head_count', u32(heads)],
    ['llama.attention.head_count_kv', u32(heads)],
    ['llama.attention.layer_norm_rms_epsilon', { kind: 'f32', value: 1e-5 }],
    ['llama.rope.dimension_count', u32(embedding / heads)],
    ['tokenizer.ggml.model', { kind: 'string', value: 'llama' }],
    ['tokenizer.ggml.tokens', { kind: 'strings', value: vocabulary.tokens }],
    ['tokenizer.ggml.scores', { kind: 'f32s', value: vocabulary.scores }],
    ['tokenizer.ggml.token_type', { kind: 'i32s', value: vocabulary.types }],
    ['tokenizer.ggml.bos_token_id', u32(1)],
    ['tokenizer.ggml.eos_token_id', u32(2)],
    ['tokenizer.ggml.unknown_token_id', u32(0)],
  ];
}

/** llama.cpp's tensor names and shapes for the `llama` architecture; norms start at 1, the rest small and random. */
function tinyTensors(vocabularySize: number, random: () => number): Tensor[] {
  const { layers, embedding: e, feedForward: ff } = TINY_LLAMA;
  const weights = (name: string, dims: number[]): Tensor => {
    const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++) data[i] = (random() * 2 - 1) * 0.1;
    return { name, dims, data };
  };
  const norm = (name: string): Tensor => ({ name, dims: [e], data: new Float32Array(e).fill(1) });
  const tensors = [weights('token_embd.weight', [e, vocabularySize])];
  for (let layer = 0; layer < layers; layer++) {
    const blk = `blk.${layer}`;
    tensors.push(
      norm(`${blk}.attn_norm.weight`),
      weights(`${blk}.attn_q.weight`, [e, e]),
      weights(`${blk}.attn_k.weight`, [e, e]),
      weights(`${blk}.attn_v.weight`, [e, e]),
      weights(`${blk}.attn_output.weight`, [e, e]),
      norm(`${blk}.ffn_norm.weight`),
      weights(`${blk}.ffn_gate.weight`, [e, ff]),
      weights(`${blk}.ffn_down.weight`, [ff, e]),
      weights(`${blk}.ffn_up.weight`, [e, ff]),
    );
  }
  tensors.push(norm('output_norm.weight'), weights('output.weight', [e, vocabularySize]));
  return tensors;
}

function writeMetadata(out: ByteWriter, key: string, entry: MetadataValue): void {
  out.string(key);
  switch (entry.kind) {
    case 'u32':
      out.u32(VALUE_TYPE.u32);
      return out.u32(entry.value);
    case 'f32':
      out.u32(VALUE_TYPE.f32);
      return out.f32(entry.value);
    case 'string':
      out.u32(VALUE_TYPE.string);
      return out.string(entry.value);
    case 'strings':
      out.arrayHeader(VALUE_TYPE.string, entry.value.length);
      return entry.value.forEach((item) => out.string(item));
    case 'i32s':
      out.arrayHeader(VALUE_TYPE.i32, entry.value.length);
      return entry.value.forEach((item) => out.i32(item));
    case 'f32s':
      out.arrayHeader(VALUE_TYPE.f32, entry.value.length);
      return entry.value.forEach((item) => out.f32(item));
  }
}

/** Little-endian writer over growing chunks; `pad` fills with zeros to the next ALIGNMENT boundary. */
class ByteWriter {
  private chunks: Buffer[] = [];
  private length = 0;

  raw(bytes: Buffer): void {
    this.chunks.push(bytes);
    this.length += bytes.length;
  }
  u32(value: number): void {
    this.fixed(4, (b) => b.writeUInt32LE(value));
  }
  i32(value: number): void {
    this.fixed(4, (b) => b.writeInt32LE(value));
  }
  f32(value: number): void {
    this.fixed(4, (b) => b.writeFloatLE(value));
  }
  u64(value: number): void {
    this.fixed(8, (b) => b.writeBigUInt64LE(BigInt(value)));
  }
  /** An array value: the array type, the element type, then the element count. */
  arrayHeader(itemType: number, count: number): void {
    this.u32(VALUE_TYPE.array);
    this.u32(itemType);
    this.u64(count);
  }
  /** gguf_string_t: a u64 byte length, then UTF-8 without a terminator. */
  string(value: string): void {
    const bytes = Buffer.from(value, 'utf8');
    this.u64(bytes.length);
    this.raw(bytes);
  }
  pad(): void {
    this.raw(Buffer.alloc(alignUp(this.length) - this.length));
  }
  bytes(): Buffer {
    return Buffer.concat(this.chunks, this.length);
  }
  private fixed(size: number, write: (b: Buffer) => void): void {
    const b = Buffer.alloc(size);
    write(b);
    this.raw(b);
  }
}

function alignUp(offset: number): number {
  return offset + ((ALIGNMENT - (offset % ALIGNMENT)) % ALIGNMENT);
}

/** A small seeded PRNG (mulberry32): reproducible weights without a dependency. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
