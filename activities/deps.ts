// What the activities need from the outside world. The worker builds it (temporal/worker.ts) and passes
// it to `createActivities(deps)`, as in Temporal's dependency-injection sample; tests pass their own.
import type { Store } from '../db/store';
import type { NodeSpec } from '../nodes/define';
import type { RunnerLookup } from '../nodes/runners';

export interface ActivityDeps {
  store: Pick<Store, 'steps' | 'runs' | 'events' | 'blobs' | 'plans' | 'workflows' | 'loopResults'>;
  nodes: { get(type: string, version: number): NodeSpec | undefined };
  loadRunner: RunnerLookup;
  now: () => Date;
}
