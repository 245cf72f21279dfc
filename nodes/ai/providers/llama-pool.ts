// Embedded GGUF models on the gpu-queue worker: one llama.cpp binding per process, each model file loaded once and
// shared by every run, with BATON_LOCAL_MODEL_CONCURRENCY context sequences per model handed out in arrival order.
// A model that sits idle for 10 minutes is unloaded to give its memory back. Server-side only.
import { open } from 'node:fs/promises';
import {
  getLlama,
  LlamaLogLevel,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaModel,
} from 'node-llama-cpp';
import { ModelCallError } from './types';

export const IDLE_UNLOAD_MS = 10 * 60_000;
/** The context window when the registry gives none: a model trained on 128k tokens would otherwise reserve
 *  gigabytes of KV cache for each sequence. */
export const DEFAULT_CONTEXT_CAP = 8192;
export const CONCURRENCY_ENV = 'BATON_LOCAL_MODEL_CONCURRENCY';
export const THREADS_ENV = 'BATON_LLAMA_THREADS';
/** Below this size a second CPU thread costs more in synchronisation than it saves: on a busy 2-core machine the
 *  tiny test model took 68 s for 28 tokens on two threads and 40 ms on one. */
const SINGLE_THREAD_BELOW_BYTES = 64 * 1024 * 1024;

/** What one call holds while it runs: its own sequence of the model's shared context. */
export interface ModelLease {
  llama: Llama;
  model: LlamaModel;
  sequence: LlamaContextSequence;
  contextSize: number;
}

interface LoadedContext {
  context: LlamaContext;
  slots: SlotQueue<LlamaContextSequence>;
}

interface LoadedModel {
  model: LlamaModel;
  /** Keyed by the context size asked for, so two registry entries with different windows share the weights. */
  /** By `<context size>:<sequences>`. */
  contexts: Map<string, Promise<LoadedContext>>;
  busy: number;
  unloading: boolean;
  idleTimer?: NodeJS.Timeout;
}

let runtime: Promise<Llama> | undefined;
const models = new Map<string, Promise<LoadedModel>>();

/** Runs `use` with a sequence of the model at `file`, waiting in line behind calls that hold every sequence. */
export async function withLocalModel<T>(
  file: string,
  contextLength: number | undefined,
  signal: AbortSignal | undefined,
  use: (lease: ModelLease) => Promise<T>,
  concurrency?: number,
): Promise<T> {
  let entry = await loadModel(file);
  // The idle timer may have started unloading this entry while we waited for it: load afresh.
  while (entry.unloading) entry = await loadModel(file);
  entry.busy++;
  clearTimeout(entry.idleTimer);
  try {
    const { context, slots } = await contextFor(entry, file, contextLength, concurrency);
    const sequence = await slots.acquire(signal);
    try {
      return await use({ llama: await llama(), model: entry.model, sequence, contextSize: context.contextSize });
    } finally {
      slots.release(sequence);
    }
  } finally {
    entry.busy--;
    if (entry.busy === 0) entry.idleTimer = setTimeout(() => void unloadIfIdle(file, entry), IDLE_UNLOAD_MS).unref();
  }
}

/** The loaded model and the context window a call would get, without taking a sequence (for probing). */
export async function describeLocalModel(
  file: string,
  contextLength: number | undefined,
): Promise<{ gpu: string | false; trainContextSize: number; contextSize: number }> {
  const entry = await loadModel(file);
  const { context } = await contextFor(entry, file, contextLength, undefined);
  return { gpu: (await llama()).gpu, trainContextSize: entry.model.trainContextSize, contextSize: context.contextSize };
}

/** Unloads every model now (worker shutdown, end of a test file). */
export async function unloadLocalModels(): Promise<void> {
  const entries = [...models.entries()];
  models.clear();
  await Promise.all(entries.map(([, loading]) => loading.then(disposeModel, () => undefined)));
}

/** Sequences per model, from BATON_LOCAL_MODEL_CONCURRENCY (default 1). */
export function localModelConcurrency(env: NodeJS.ProcessEnv = process.env): number {
  return positiveSetting(env, CONCURRENCY_ENV) ?? 1;
}

/** CPU threads for a context: BATON_LLAMA_THREADS, else one for small models and node-llama-cpp's choice otherwise. */
function threadsFor(model: LlamaModel, env: NodeJS.ProcessEnv = process.env): number | undefined {
  return positiveSetting(env, THREADS_ENV) ?? (model.size < SINGLE_THREAD_BELOW_BYTES ? 1 : undefined);
}

function positiveSetting(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    throw new ModelCallError('bad-request', `${name} must be a whole number of at least 1, not "${raw}".`);
  }
  return n;
}

function llama(): Promise<Llama> {
  // Prebuilt binaries only (never a compile on a worker); CUDA or Vulkan where present unless BATON_LLAMA_GPU=false.
  runtime ??= getLlama({
    gpu: process.env.BATON_LLAMA_GPU === 'false' ? false : 'auto',
    build: 'never',
    logLevel: LlamaLogLevel.error,
  });
  return runtime;
}

function loadModel(file: string): Promise<LoadedModel> {
  let loading = models.get(file);
  if (!loading) {
    loading = openModel(file);
    models.set(file, loading);
    // A failed load is not cached: the next call tries again (the file may have been copied in meanwhile).
    void loading.catch(() => models.get(file) === loading && models.delete(file));
  }
  return loading;
}

async function openModel(file: string): Promise<LoadedModel> {
  await checkGgufFile(file);
  const runtimeLlama = await llama();
  try {
    const model = await runtimeLlama.loadModel({ modelPath: file });
    return { model, contexts: new Map(), busy: 0, unloading: false };
  } catch (err) {
    throw new ModelCallError('bad-request', `local model ${file} could not be loaded: ${messageOf(err)}`);
  }
}

/** Names the path and what is wrong with it before llama.cpp sees the file (its own errors say less). */
async function checkGgufFile(file: string): Promise<void> {
  const magic = Buffer.alloc(4);
  try {
    const handle = await open(file, 'r');
    try {
      await handle.read(magic, 0, 4, 0);
    } finally {
      await handle.close();
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const problem = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? messageOf(err)})`;
    throw new ModelCallError('bad-request', `local model file ${file} ${problem} on this worker.`);
  }
  if (magic.toString('latin1') !== 'GGUF') {
    throw new ModelCallError(
      'bad-request',
      `local model file ${file} is not a GGUF file (it does not start with "GGUF").`,
    );
  }
}

/** The context of this size and concurrency (the registry's, else BATON_LOCAL_MODEL_CONCURRENCY), made once. */
function contextFor(
  entry: LoadedModel,
  file: string,
  contextLength: number | undefined,
  concurrency: number | undefined,
): Promise<LoadedContext> {
  const size = contextLength ?? Math.min(entry.model.trainContextSize, DEFAULT_CONTEXT_CAP);
  const sequences = concurrency ?? localModelConcurrency();
  const key = `${size}:${sequences}`;
  let creating = entry.contexts.get(key);
  if (!creating) {
    creating = createContext(entry.model, file, size, sequences);
    entry.contexts.set(key, creating);
    void creating.catch(() => entry.contexts.get(key) === creating && entry.contexts.delete(key));
  }
  return creating;
}

async function createContext(
  model: LlamaModel,
  file: string,
  contextSize: number,
  sequences: number,
): Promise<LoadedContext> {
  try {
    const context = await model.createContext({ contextSize, sequences, threads: threadsFor(model) });
    return {
      context,
      slots: new SlotQueue(Array.from({ length: sequences }, () => context.getSequence())),
    };
  } catch (err) {
    const message = `a ${contextSize}-token context for local model ${file} could not be created: ${messageOf(err)}`;
    throw new ModelCallError('server', message);
  }
}

async function unloadIfIdle(file: string, entry: LoadedModel): Promise<void> {
  if ((await models.get(file)) !== entry || entry.busy > 0) return;
  entry.unloading = true;
  models.delete(file);
  await disposeModel(entry);
}

async function disposeModel(entry: LoadedModel): Promise<void> {
  entry.unloading = true;
  clearTimeout(entry.idleTimer);
  const contexts = await Promise.allSettled(entry.contexts.values());
  for (const created of contexts) if (created.status === 'fulfilled') await created.value.context.dispose();
  await entry.model.dispose();
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A fixed set of items handed out first come, first served; a waiter whose signal aborts leaves the line. */
export class SlotQueue<T> {
  private readonly free: T[];
  private readonly waiting: Array<(item: T) => void> = [];

  constructor(items: T[]) {
    this.free = [...items];
  }

  /** How many callers are waiting for an item. */
  get waiters(): number {
    return this.waiting.length;
  }

  acquire(signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    if (this.free.length > 0) return Promise.resolve(this.free.shift() as T);
    return new Promise<T>((resolve, reject) => {
      const grant = (item: T) => {
        signal?.removeEventListener('abort', leave);
        resolve(item);
      };
      const leave = () => {
        this.waiting.splice(this.waiting.indexOf(grant), 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', leave, { once: true });
      this.waiting.push(grant);
    });
  }

  release(item: T): void {
    const next = this.waiting.shift();
    if (next) next(item);
    else this.free.push(item);
  }
}
