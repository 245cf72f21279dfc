// The activity behind workflows/model-probe.ts: asks a registered model what it supports and stores the answer
// (or why it could not tell) on its registry entry, where the Models page shows it.
import type { ModelCapabilities } from '../contracts/ai';
import { decryptCredential } from '../db/credentials';
import { getModel, saveProbe } from '../db/models';
import { providerFor } from '../nodes/ai/providers';
import { modelTarget } from './agent-model-call';

const PROBE_TIMEOUT_MS = 60_000;

export function createProbeActivity() {
  return async function probeRegisteredModel(req: {
    workspaceId: string;
    modelId: string;
  }): Promise<{ capabilities?: ModelCapabilities; error?: string }> {
    const model = await getModel(req.workspaceId, req.modelId);
    if (!model) return { error: 'The model is no longer in this workspace.' };
    let secrets: string[] = [];
    try {
      let values: Record<string, unknown> | undefined;
      if (model.provider !== 'local-gguf') {
        const credential = await decryptCredential(req.workspaceId, model.credentialId!);
        if (credential.type !== model.provider)
          return {
            error: `The credential "${credential.name}" is a ${credential.type} credential, not ${model.provider}.`,
          };
        values = credential.values;
      }
      const target = modelTarget(model, values, PROBE_TIMEOUT_MS);
      secrets = target.apiKey ? [target.apiKey] : [];
      const capabilities = await providerFor(model.provider).probe(target);
      if (model.contextLength) capabilities.contextLength = model.contextLength;
      await saveProbe(req.workspaceId, model.id, model, { capabilities });
      return { capabilities };
    } catch (err) {
      let error = (err as Error).message;
      for (const secret of secrets) error = error.split(secret).join('[secret]');
      await saveProbe(req.workspaceId, model.id, model, { error });
      return { error };
    }
  };
}
