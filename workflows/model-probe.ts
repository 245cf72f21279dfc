// Probing a registered model (what it supports: tools, JSON, context, vision) runs where the model is reached: on the
// gpu workers for local files, which the web process may not even have, on default ones for hosted APIs. The web
// starts this small workflow and waits for its answer (app/lib/models.server.ts).
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ModelCapabilities } from '../contracts/ai';

export interface ProbeModelInput {
  workspaceId: string;
  modelId: string;
  /** The concrete task queue of the model's workers (gpu for local models). */
  taskQueue: string;
}

export async function probeModel(
  input: ProbeModelInput,
): Promise<{ capabilities?: ModelCapabilities; error?: string }> {
  const { probeRegisteredModel } = proxyActivities<Activities>({
    taskQueue: input.taskQueue,
    startToCloseTimeout: '3m',
    retry: { maximumAttempts: 1 },
  });
  return probeRegisteredModel({ workspaceId: input.workspaceId, modelId: input.modelId });
}
