// The model registry's API side: the request body's shape, refusals as HTTP answers, credential checks (a model's
// credential must be of its provider's type and in this workspace), audit entries, and probing through Temporal.
import { z } from 'zod';
import { getCredential } from '../../db/credentials';
import {
  getModel,
  ModelRegistryError,
  PROVIDER_CREDENTIAL,
  PROVIDER_KINDS,
  type ModelInput,
  type RegisteredModel,
} from '../../db/models';
import type { ProviderKind } from '../../contracts/ai';
import { recordAudit, type AuditAction } from '../../db/audit';
import { getTemporalClient } from '../../temporal/client';
import { taskQueueName } from '../../temporal/queues';
import type { Caller } from './caller.server';
import { apiError, json } from './http.server';

export const modelBody = z.object({
  name: z.string(),
  provider: z.enum(PROVIDER_KINDS as [ProviderKind, ...ProviderKind[]]),
  model: z.string(),
  credentialId: z.string().optional(),
  prices: z
    .object({
      inputPerMTok: z.number().optional(),
      outputPerMTok: z.number().optional(),
      perGpuSecond: z.number().optional(),
    })
    .optional(),
  concurrency: z.number().optional(),
  contextLength: z.number().optional(),
});

/** How long the web waits for a probe; a slow model's probe goes on and its result lands on the page later. */
const PROBE_WAIT_MS = 90_000;

/** Refuses a credential of another type or workspace before the registry stores the model. */
export async function checkModelCredential(caller: Caller, input: ModelInput): Promise<void> {
  if (input.provider === 'local-gguf' || !input.credentialId) return;
  const credential = await getCredential(caller.scope, input.credentialId);
  if (!credential)
    throw new ModelRegistryError(
      'invalid',
      `Credential ${input.credentialId} is not in this workspace.`,
      'credentialId',
    );
  const wanted = PROVIDER_CREDENTIAL[input.provider];
  if (credential.type !== wanted)
    throw new ModelRegistryError(
      'invalid',
      `Credential "${credential.name}" is a ${credential.type} credential; ${input.provider} models need a ${wanted} one.`,
      'credentialId',
    );
}

export async function answerModelRefusal(work: () => Promise<Response>): Promise<Response> {
  try {
    return await work();
  } catch (err) {
    if (!(err instanceof ModelRegistryError)) throw err;
    const status = { invalid: 400, conflict: 409, 'not-found': 404, limit: 409 }[err.reason];
    // The API's one error shape, with the field at fault beside the message for the Models page's dialog.
    return apiError(status, err.message, undefined, err.field ? { field: err.field } : undefined);
  }
}

export async function auditModel(
  caller: Caller,
  ip: string,
  action: Extract<AuditAction, `model.${string}`>,
  model: RegisteredModel,
): Promise<void> {
  await recordAudit({
    workspaceId: caller.scope.workspaceId,
    actor: { id: caller.user.id, name: caller.user.name, via: caller.via },
    action,
    target: { kind: 'model', id: model.id, name: model.name },
    ip,
    change: { provider: model.provider, model: model.model },
  });
}

/** Probes on the model's own workers (workflows/model-probe.ts) and answers with the updated registry entry. */
export async function probeModel(caller: Caller, id: string): Promise<Response> {
  const model = await getModel(caller.scope.workspaceId, id);
  if (!model) return apiError(404, `Model ${id} does not exist in this workspace.`);
  const client = await getTemporalClient();
  const queue = model.provider === 'local-gguf' ? 'gpu' : 'default';
  try {
    await client.workflow.execute('probeModel', {
      taskQueue: taskQueueName('default'),
      workflowId: `probe-${id}-${Date.now()}`,
      args: [{ workspaceId: caller.scope.workspaceId, modelId: id, taskQueue: taskQueueName(queue) }],
      workflowExecutionTimeout: PROBE_WAIT_MS,
    });
  } catch (err) {
    return apiError(504, `The probe of "${model.name}" did not finish: ${(err as Error).message}`);
  }
  return json({ model: await getModel(caller.scope.workspaceId, id) });
}
