// The workspace model registry (docs/decisions/053-agents.md): the models LLM and Agent nodes may call, each a
// provider, a credential (remote ones) or a file (local GGUF ones), prices, and what a probe found it supports.
// Every function takes a WorkspaceScope or a workspace id; another workspace's model reads as missing.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import mongoose, { Schema } from 'mongoose';
import type { ModelCapabilities, ModelPrices, ProviderKind } from '../contracts/ai';
import type { WorkspaceScope } from './workspaces';

export const PROVIDER_KINDS: readonly ProviderKind[] = ['openai-compatible', 'anthropic', 'ollama', 'local-gguf'];

/** The credential type each remote provider reads its URL and key from (nodes/credentials). */
export const PROVIDER_CREDENTIAL: Record<Exclude<ProviderKind, 'local-gguf'>, string> = {
  'openai-compatible': 'openai-compatible',
  anthropic: 'anthropic',
  ollama: 'ollama',
};

export const MODEL_LIMITS = { perWorkspace: 200, nameLength: 80, modelLength: 200, maxConcurrency: 64 } as const;

export interface RegisteredModel {
  id: string;
  workspaceId: string;
  name: string;
  provider: ProviderKind;
  /** Remote providers: the credential holding the base URL and key. */
  credentialId?: string;
  /** The provider's model id, or for local-gguf the file's name in the models folder. */
  model: string;
  prices: ModelPrices;
  /** Local models: calls at once (each a context sequence); others wait their turn. */
  concurrency: number;
  /** Tokens; overrides what the probe found (local models use it as their context size). */
  contextLength?: number;
  capabilities?: ModelCapabilities;
  probedAt?: Date;
  probeError?: string;
  createdAt: Date;
  updatedAt: Date;
}

export type ModelInput = Pick<RegisteredModel, 'name' | 'provider' | 'model'> &
  Partial<Pick<RegisteredModel, 'credentialId' | 'concurrency' | 'contextLength'>> & { prices?: Partial<ModelPrices> };

interface ModelDoc extends Omit<RegisteredModel, 'id'> {
  _id: string;
}

const ModelModel =
  (mongoose.models.RegisteredModel as mongoose.Model<ModelDoc>) ??
  mongoose.model<ModelDoc>(
    'RegisteredModel',
    new Schema<ModelDoc>(
      {
        _id: { type: String, required: true },
        workspaceId: { type: String, required: true, index: true },
        name: { type: String, required: true },
        provider: { type: String, required: true },
        credentialId: String,
        model: { type: String, required: true },
        prices: { type: Schema.Types.Mixed, required: true },
        concurrency: { type: Number, required: true },
        contextLength: Number,
        capabilities: Schema.Types.Mixed,
        probedAt: Date,
        probeError: String,
        createdAt: { type: Date, required: true },
        updatedAt: { type: Date, required: true },
      },
      { collection: 'models', versionKey: false },
    ),
  );

/** A registry change refused: `field` names the input field at fault. */
export class ModelRegistryError extends Error {
  constructor(
    readonly reason: 'invalid' | 'conflict' | 'not-found' | 'limit',
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ModelRegistryError';
  }
}

const FREE: ModelPrices = { inputPerMTok: 0, outputPerMTok: 0, perGpuSecond: 0 };

/** Where local GGUF files live: BATON_MODELS_DIR, else `<BATON_HOME or .baton>/models`. */
export function modelsDir(): string {
  return path.resolve(process.env.BATON_MODELS_DIR ?? path.join(process.env.BATON_HOME ?? '.baton', 'models'));
}

/** The path of a local model's file; a name that would leave the models folder is refused. */
export function localModelPath(fileName: string): string {
  const dir = modelsDir();
  const full = path.resolve(dir, fileName);
  // A bare name only: "../models/x.gguf" resolves inside the folder too, but names a folder all the same.
  if (
    path.dirname(full) !== dir ||
    path.basename(fileName) !== fileName ||
    fileName.includes('\\') ||
    !fileName.endsWith('.gguf')
  )
    throw new ModelRegistryError(
      'invalid',
      `Model file "${fileName}" must be the name of a .gguf file in the models folder (${dir}), without any folder part.`,
      'model',
    );
  return full;
}

const toModel = ({ _id, ...rest }: ModelDoc): RegisteredModel => ({ id: _id, ...rest });

function describe(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value).slice(0, 60);
}

function checked(input: ModelInput): Omit<ModelInput, 'name'> & { name: string } {
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (!name || name.length > MODEL_LIMITS.nameLength)
    throw new ModelRegistryError(
      'invalid',
      `Give the model a name of 1 to ${MODEL_LIMITS.nameLength} characters.`,
      'name',
    );
  if (!PROVIDER_KINDS.includes(input.provider))
    throw new ModelRegistryError(
      'invalid',
      `Provider must be one of ${PROVIDER_KINDS.join(', ')}, not ${describe(input.provider)}.`,
      'provider',
    );
  if (typeof input.model !== 'string' || !input.model.trim() || input.model.length > MODEL_LIMITS.modelLength)
    throw new ModelRegistryError(
      'invalid',
      input.provider === 'local-gguf'
        ? 'Model: give the name of a .gguf file in the models folder.'
        : `Model: give the provider's model id (e.g. gpt-4o-mini), at most ${MODEL_LIMITS.modelLength} characters.`,
      'model',
    );
  if (input.provider === 'local-gguf') localModelPath(input.model.trim());
  else if (typeof input.credentialId !== 'string' || !/^cred_[0-9a-f-]{36}$/.test(input.credentialId))
    throw new ModelRegistryError(
      'invalid',
      `Credential: ${input.provider} models need a credential of type ${PROVIDER_CREDENTIAL[input.provider]}.`,
      'credentialId',
    );
  const prices = { ...FREE, ...(input.prices ?? {}) };
  for (const [key, value] of Object.entries(prices))
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1e6)
      throw new ModelRegistryError(
        'invalid',
        `Price ${key} must be a number from 0 to 1,000,000 (US dollars).`,
        'prices',
      );
  const concurrency = input.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MODEL_LIMITS.maxConcurrency)
    throw new ModelRegistryError(
      'invalid',
      `Concurrency must be a whole number from 1 to ${MODEL_LIMITS.maxConcurrency}.`,
      'concurrency',
    );
  if (
    input.contextLength !== undefined &&
    (!Number.isInteger(input.contextLength) || input.contextLength < 128 || input.contextLength > 10_000_000)
  )
    throw new ModelRegistryError(
      'invalid',
      'Context length must be a whole number of tokens from 128.',
      'contextLength',
    );
  return {
    name,
    provider: input.provider,
    model: input.model.trim(),
    ...(input.provider === 'local-gguf' ? {} : { credentialId: input.credentialId }),
    prices: {
      inputPerMTok: prices.inputPerMTok,
      outputPerMTok: prices.outputPerMTok,
      perGpuSecond: prices.perGpuSecond,
    },
    concurrency,
    ...(input.contextLength !== undefined ? { contextLength: input.contextLength } : {}),
  };
}

async function checkNameFree(workspaceId: string, name: string, exceptId?: string): Promise<void> {
  const all = await ModelModel.find({ workspaceId }, { name: 1 }).lean();
  if (all.length >= MODEL_LIMITS.perWorkspace && !exceptId)
    throw new ModelRegistryError('limit', `A workspace has at most ${MODEL_LIMITS.perWorkspace} models.`);
  const taken = all.find((m) => m._id !== exceptId && m.name.toLowerCase() === name.toLowerCase());
  if (taken) throw new ModelRegistryError('conflict', `This workspace already has a model "${taken.name}".`, 'name');
}

export async function createModel(scope: WorkspaceScope, input: ModelInput): Promise<RegisteredModel> {
  const fields = checked(input);
  await checkNameFree(scope.workspaceId, fields.name);
  const now = new Date();
  const doc = { _id: `mdl_${randomUUID()}`, workspaceId: scope.workspaceId, ...fields, createdAt: now, updatedAt: now };
  await ModelModel.collection.insertOne(doc as never);
  return toModel(doc as ModelDoc);
}

/** Changing what is called (provider, model, credential) forgets the probe result: it described the old model. */
export async function updateModel(scope: WorkspaceScope, id: string, input: ModelInput): Promise<RegisteredModel> {
  const before = await getModel(scope.workspaceId, id);
  if (!before) throw new ModelRegistryError('not-found', 'No such model in this workspace.');
  const fields = checked(input);
  await checkNameFree(scope.workspaceId, fields.name, id);
  const sameTarget =
    before.provider === fields.provider && before.model === fields.model && before.credentialId === fields.credentialId;
  const unset: Record<string, 1> = sameTarget ? {} : { capabilities: 1, probedAt: 1, probeError: 1 };
  if (fields.contextLength === undefined) unset.contextLength = 1;
  if (fields.credentialId === undefined) unset.credentialId = 1;
  await ModelModel.collection.updateOne(
    { _id: id, workspaceId: scope.workspaceId } as never,
    { $set: { ...fields, updatedAt: new Date() }, ...(Object.keys(unset).length ? { $unset: unset } : {}) } as never,
  );
  return (await getModel(scope.workspaceId, id))!;
}

export async function deleteModel(scope: WorkspaceScope, id: string): Promise<boolean> {
  const result = await ModelModel.collection.deleteOne({ _id: id, workspaceId: scope.workspaceId } as never);
  return result.deletedCount === 1;
}

export async function listModels(workspaceId: string): Promise<RegisteredModel[]> {
  const docs = (await ModelModel.collection.find({ workspaceId } as never).toArray()) as unknown as ModelDoc[];
  return docs.map(toModel).sort((a, b) => a.name.localeCompare(b.name));
}

export async function getModel(workspaceId: string, id: string): Promise<RegisteredModel | undefined> {
  const doc = (await ModelModel.collection.findOne({ _id: id } as never)) as unknown as ModelDoc | null;
  return doc && doc.workspaceId === workspaceId ? toModel(doc) : undefined;
}

/** Stores what a probe found (or why it failed), unless the model changed since the probe began. */
export async function saveProbe(
  workspaceId: string,
  id: string,
  seen: { updatedAt: Date },
  result: { capabilities: ModelCapabilities } | { error: string },
): Promise<void> {
  const set =
    'capabilities' in result
      ? { capabilities: result.capabilities, probedAt: new Date() }
      : { probeError: result.error.slice(0, 2000), probedAt: new Date() };
  await ModelModel.collection.updateOne(
    { _id: id, workspaceId, updatedAt: seen.updatedAt } as never,
    {
      $set: set,
      ...('capabilities' in result ? { $unset: { probeError: 1 } } : { $unset: { capabilities: 1 } }),
    } as never,
  );
}
