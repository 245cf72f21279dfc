// A workspace's AI routing (docs/decisions/053-agents.md): the model every LLM and Agent node falls back to after its
// own model (and its own fallback) gave up, and what all the workspace's model calls may cost per calendar month.
import mongoose, { Schema } from 'mongoose';
import { getModel, ModelRegistryError } from './models';
import type { WorkspaceScope } from './workspaces';

export interface AiSettings {
  /** Tried after a node's own route, for the same reasons (rate limits, timeouts, server errors, long prompts). */
  fallbackModelId?: string;
  /** US dollars per calendar month (UTC) for all the workspace's model calls. */
  monthlyBudgetUsd?: number;
}

interface AiSettingsDoc extends AiSettings {
  _id: string; // the workspace id
  updatedAt: Date;
}

const AiSettingsModel =
  (mongoose.models.AiSettings as mongoose.Model<AiSettingsDoc>) ??
  mongoose.model<AiSettingsDoc>(
    'AiSettings',
    new Schema<AiSettingsDoc>(
      {
        _id: { type: String, required: true },
        fallbackModelId: String,
        monthlyBudgetUsd: Number,
        updatedAt: { type: Date, required: true },
      },
      { collection: 'ai_settings', versionKey: false },
    ),
  );

export async function getAiSettings(workspaceId: string): Promise<AiSettings> {
  const doc = (await AiSettingsModel.collection.findOne({
    _id: workspaceId,
  } as never)) as unknown as AiSettingsDoc | null;
  if (!doc) return {};
  return {
    ...(doc.fallbackModelId ? { fallbackModelId: doc.fallbackModelId } : {}),
    ...(typeof doc.monthlyBudgetUsd === 'number' ? { monthlyBudgetUsd: doc.monthlyBudgetUsd } : {}),
  };
}

/** Replaces the settings; a fallback model must be one of the workspace's, a budget a number from 0. */
export async function saveAiSettings(scope: WorkspaceScope, input: AiSettings): Promise<AiSettings> {
  const settings: AiSettings = {};
  if (input.fallbackModelId !== undefined) {
    if (!(await getModel(scope.workspaceId, input.fallbackModelId)))
      throw new ModelRegistryError(
        'invalid',
        `Fallback model: ${input.fallbackModelId} is not a model of this workspace.`,
        'fallbackModelId',
      );
    settings.fallbackModelId = input.fallbackModelId;
  }
  if (input.monthlyBudgetUsd !== undefined) {
    const budget = input.monthlyBudgetUsd;
    if (typeof budget !== 'number' || !Number.isFinite(budget) || budget < 0 || budget > 1e7)
      throw new ModelRegistryError(
        'invalid',
        'Monthly budget: a number of US dollars from 0 to 10,000,000.',
        'monthlyBudgetUsd',
      );
    settings.monthlyBudgetUsd = budget;
  }
  await AiSettingsModel.collection.replaceOne(
    { _id: scope.workspaceId } as never,
    { ...settings, updatedAt: new Date() } as never,
    { upsert: true },
  );
  return settings;
}
