// The store: everything web and workers persist, as one object. The worker builds it once it is
// connected and hands it to `createActivities(deps)`; tests and benchmarks may pass their own pieces.
import * as blobs from './blobs';
import * as events from './events';
import * as loopResults from './loop-results';
import * as plans from './plans';
import * as runs from './runs';
import * as steps from './steps';
import * as workflows from './workflows';

export interface Store {
  runs: typeof runs;
  steps: typeof steps;
  events: typeof events;
  plans: typeof plans;
  blobs: typeof blobs;
  workflows: typeof workflows;
  loopResults: typeof loopResults;
}

/** The store over the process's Mongo connection (db/connection `connectDb`). */
export function createStore(): Store {
  return { runs, steps, events, plans, blobs, workflows, loopResults };
}
