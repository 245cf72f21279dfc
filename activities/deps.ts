// What the activities need from the outside world; `createActivities(deps)` receives it so a test or
// the benchmark can swap a piece (an event sink, a clock) without touching activity code.
import * as runs from '../app/models/run.server';
import * as steps from '../app/models/step.server';
import { appendEvent } from '../app/models/event.server';
import { resolveParams } from '../ir/params';
import { registry } from '../nodes/index';
import type { NodeRunner, NodeSpec, ParamDefs } from '../nodes/define';
import type { RunEvent } from './events';
import * as blobs from './blob-store';
import { loadRunner } from './runners';

export interface ActivityDeps {
  steps: Pick<typeof steps, 'recordStep' | 'findStep'>;
  runs: Pick<typeof runs, 'setRunStatus'>;
  blobs: Pick<typeof blobs, 'encodeValue'>;
  /** Live events for the web process; best effort, the step records are the source of truth. */
  emit: (event: RunEvent) => Promise<void>;
  now: () => Date;
  nodes: { get(type: string, version: number): NodeSpec | undefined };
  resolveParams: (
    spec: NodeSpec,
    raw: Record<string, unknown>,
    scope: Parameters<typeof resolveParams>[2],
  ) => Promise<Record<string, unknown>>;
  loadRunner: (type: string) => Promise<NodeRunner<ParamDefs>>;
}

export function defaultActivityDeps(): ActivityDeps {
  return {
    steps,
    runs,
    blobs,
    emit: async (event) => {
      try {
        await appendEvent(event);
      } catch (err) {
        console.warn(`Live event for run ${event.runId} was not stored: ${(err as Error).message}`);
      }
    },
    now: () => new Date(),
    nodes: registry,
    resolveParams: (spec, raw, scope) => resolveParams(spec, raw, scope) as Promise<Record<string, unknown>>,
    loadRunner,
  };
}
