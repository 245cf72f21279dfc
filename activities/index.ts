// The activities every worker registers. The interpreter imports their types only:
// `proxyActivities<Activities>()` (see workflows/interpreter.ts).
import { ApplicationFailure } from '@temporalio/activity';
import type { RunError, RunStatus } from '../contracts/run-status';
import type { WorkflowStep } from '../contracts/step-record';
import type { ActivityDeps } from './deps';
import { emitEvent } from './live-events';
import { rememberRunPlan, tagControlSteps } from './run-tags';
import { createEvaluateControl } from './evaluate-control';
import { createRunNode } from './run-node';
import { createRunPureChain } from './run-pure-chain';
import { createLoopActivities } from './loops';
import { createSubrunActivities } from './subruns';
import { createApprovalActivities } from './approvals';
import { createReuseActivities } from './reuse-steps';
import { mapLimit } from '../contracts/map-limit';
import { createAgentStart } from './agent-start';
import { createModelCall } from './agent-model-call';
import { createToolCall } from './agent-tools';
import { createAgentEnd } from './agent-end';
import { createProbeActivity } from './agent-probe';

/** Store commands one activity sends at once (contracts/map-limit.ts says why). */
const STORE_CONCURRENCY = 8;

export type { ActivityDeps } from './deps';
export type { EvaluateControlInput, EvaluateControlResult } from './evaluate-control';
export type { RunNodeInput, RunNodeResult } from './run-node';
export type { PureNodeResult, RunPureChainInput, RunPureChainResult } from './run-pure-chain';
export type { StepRef } from './step-io';
export type { AgentStart, AgentStartInput, CallSettings, ModelRoute, ToolRoute } from './agent-start';
export type { ModelCallInput, ModelCallResult } from './agent-model-call';
export type { ToolCallInput, ToolCallResult } from './agent-tools';
export type { AgentOutput, FinishResult } from './agent-end';

export interface RunStatusRecord {
  runId: string;
  workflowId: string;
  planHash: string;
  status: RunStatus;
  output?: unknown;
  error?: RunError;
  /** Steps recorded with the status, after it: the trigger's, with the run's start. */
  steps?: WorkflowStep[];
  /** A run a Temporal Schedule started: its record is created by its first status, with these. */
  scheduled?: { workflowVersion: number; trigger: unknown };
}

export function createActivities(deps: ActivityDeps) {
  const { store } = deps;
  async function recordSteps(records: WorkflowStep[]): Promise<void> {
    await mapLimit(records, STORE_CONCURRENCY, async (r) => {
      const meta = { runId: r.runId, nodeId: r.nodeId };
      const input =
        r.input === undefined ? undefined : await store.blobs.encodeValue(r.input, { ...meta, field: 'input' });
      const output =
        r.output === undefined ? undefined : await store.blobs.encodeValue(r.output, { ...meta, field: 'output' });
      const durationMs = r.startedAt !== undefined && r.endedAt !== undefined ? r.endedAt - r.startedAt : undefined;
      const applied = await store.steps.recordStep(
        {
          runId: r.runId,
          nodeId: r.nodeId,
          nodeName: r.nodeName,
          type: r.type,
          iteration: r.iteration,
          status: r.status,
          attempt: 1,
          input: input?.json,
          output: output?.json,
          outputSize: output?.bytes,
          error: r.error && { message: r.error.message, code: r.error.code },
          startedAt: r.startedAt === undefined ? undefined : new Date(r.startedAt),
          endedAt: r.endedAt === undefined ? undefined : new Date(r.endedAt),
          durationMs,
        },
        r.onlyIfRunning ? { onlyIfStatus: ['running', 'pending'] } : undefined,
      );
      if (!applied) return;
      await emitEvent(deps, {
        kind: 'step',
        runId: r.runId,
        workflowId: r.workflowId,
        nodeId: r.nodeId,
        nodeName: r.nodeName,
        iteration: r.iteration,
        status: r.status,
        attempt: 1,
        at: deps.now().toISOString(),
        ...(durationMs !== undefined ? { durationMs } : {}),
        ...(r.error ? { error: r.error } : {}),
      });
    });
    await tagControlSteps(deps, records);
  }

  async function recordRunStatus(r: RunStatusRecord): Promise<void> {
    rememberRunPlan(r.runId, r.planHash);
    const output =
      r.output === undefined
        ? undefined
        : await store.blobs.encodeValue(r.output, { runId: r.runId, nodeId: '$run', field: 'output' });
    const applied = await store.runs.setRunStatus(r.runId, r.status, {
      output: output?.json,
      error: r.error,
      workflowId: r.workflowId,
      planHash: r.planHash,
      ...(r.scheduled
        ? {
            // The Schedule's run writes its own record: it lands in its workflow's workspace (one `_id` read).
            workspaceId: await store.workflows.workspaceOfWorkflow(r.workflowId),
            workflowVersion: r.scheduled.workflowVersion,
            trigger: JSON.stringify(r.scheduled.trigger),
            mode: 'schedule',
          }
        : {}),
    });
    // Temporal starts a slot again under the same workflow id once its first run has closed (a backfill over it, or
    // two Run now within a second). Its run id names a finished run: this run stops before touching that record.
    if (r.scheduled && !applied)
      throw ApplicationFailure.nonRetryable(
        `Run ${r.runId} already ran for this slot; this second start of it does nothing.`,
        'ScheduledSlotAlreadyRan',
      );
    await emitEvent(deps, {
      kind: 'run',
      runId: r.runId,
      workflowId: r.workflowId,
      status: r.status,
      at: deps.now().toISOString(),
      ...(r.error ? { error: r.error } : {}),
    });
    if (r.steps) await recordSteps(r.steps); // tags included
  }

  return {
    runNode: createRunNode(deps),
    runPureChain: createRunPureChain(deps),
    evaluateControl: createEvaluateControl(deps),
    ...createLoopActivities(deps),
    ...createSubrunActivities(deps),
    ...createApprovalActivities(),
    ...createReuseActivities(deps),
    agentStart: createAgentStart(deps),
    agentModelCall: createModelCall(),
    agentRunTool: createToolCall(deps),
    ...createAgentEnd(),
    probeRegisteredModel: createProbeActivity(),
    recordSteps,
    recordRunStatus,
  };
}

export type Activities = ReturnType<typeof createActivities>;
