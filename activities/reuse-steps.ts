// A retry's first step (contracts/retries.ts): the steps of the nodes it takes over are copied from the old run
// into the new one, marked `reusedFrom`, with their blob references signed again for the new run (the data is
// shared, not copied). Downstream nodes then read their inputs from the new run's records as usual.
import { ApplicationFailure } from '@temporalio/activity';
import { mapLimit } from '../contracts/map-limit';
import type { StepReuse } from '../contracts/retries';
import { resignBlobRefs, shareBlobs } from '../db/shared-blobs';
import type { ActivityDeps } from './deps';
import { emitEvent } from './live-events';

/** Store commands one activity sends at once (contracts/map-limit.ts says why). */
const STORE_CONCURRENCY = 8;

export interface ReuseStepsInput extends StepReuse {
  runId: string;
  workflowId: string;
}

/** A node taken over: its output as the old run stored it (large parts as references, signed for the new run). */
export interface ReusedStep {
  nodeId: string;
  output: unknown;
}

export function createReuseActivities(deps: ActivityDeps) {
  const { store } = deps;
  async function reuseSteps(input: ReuseStepsInput): Promise<ReusedStep[]> {
    const keys = input.nodeIds.map((nodeId) => ({ nodeId, iteration: 0 }));
    const docs = await store.steps.findStepsByKey(input.fromRunId, keys);
    const byNode = new Map(docs.map((d) => [d.nodeId, d]));
    const at = deps.now();
    return mapLimit(input.nodeIds, STORE_CONCURRENCY, async (nodeId): Promise<ReusedStep> => {
      const doc = byNode.get(nodeId);
      if (doc?.status !== 'succeeded' || doc.output === undefined)
        throw ApplicationFailure.nonRetryable(
          `Node ${nodeId} cannot be taken over from run ${input.fromRunId}: its step is ${doc ? doc.status : 'gone'}. Start a new run instead.`,
          'RetrySourceGone',
        );
      const [inputJson, outputJson] = await Promise.all([
        doc.input === undefined ? undefined : resignBlobRefs(doc.input, input.fromRunId, input.runId),
        resignBlobRefs(doc.output, input.fromRunId, input.runId),
      ]);
      await shareBlobs([...(inputJson?.blobIds ?? []), ...outputJson.blobIds], input.runId);
      await store.steps.recordStep({
        runId: input.runId,
        nodeId,
        nodeName: doc.nodeName,
        type: doc.type,
        iteration: 0,
        status: 'succeeded',
        attempt: doc.attempt,
        input: inputJson?.json,
        output: outputJson.json,
        outputSize: doc.outputSize,
        startedAt: at,
        endedAt: at,
        durationMs: 0,
        reusedFrom: input.fromRunId,
      });
      await emitEvent(deps, {
        kind: 'step',
        runId: input.runId,
        workflowId: input.workflowId,
        nodeId,
        nodeName: doc.nodeName,
        iteration: 0,
        status: 'succeeded',
        attempt: doc.attempt,
        at: at.toISOString(),
        durationMs: 0,
      });
      return { nodeId, output: JSON.parse(outputJson.json) as unknown };
    });
  }
  return { reuseSteps };
}
