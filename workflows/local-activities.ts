// The interpreter's local activities (step and run bookkeeping, pure chains), started one at a time.
//
// Why one at a time: when two local activities run at once and the later one finishes first, the walk reacts to
// the later one first. On replay Temporal hands both results over in one activation, and which branch resumes first
// then depends on how many promise hops lie between each result and the walk, not on the order they finished in:
// the walk may schedule its next commands in another order than it did, a non-determinism error that fails the run
// after any worker restart. With one local activity outstanding, every activation resolves at most one of them.
// Runs started before this change keep running them side by side (`patched`).
import { patched, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

const SERIAL_LOCAL_ACTIVITIES = 'serial-local-activities';

// Step and run bookkeeping rides out a database outage of up to ten minutes before the run gives up.
const records = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30s',
  scheduleToCloseTimeout: '10m',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '30s' },
});

// Like the step bookkeeping, a pure chain rides out a database outage of up to ten minutes. Node failures come
// back as results; only a failure to read the input or write the steps makes the activity retry.
const chains = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30s',
  scheduleToCloseTimeout: '10m',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '30s' },
});

type Records = Pick<
  Activities,
  | 'recordSteps'
  | 'recordRunStatus'
  | 'runPureChain'
  | 'runPureIterations'
  | 'loopItems'
  | 'collectLoopResults'
  | 'finishLoop'
  | 'saveApprovalState'
  | 'reuseSteps'
>;

export class LocalActivities implements Records {
  private tail: Promise<unknown> = Promise.resolve();
  /** Local activities started so far: each becomes one marker event in the history. */
  issued = 0;
  private readonly serial: boolean;

  /** Call at the start of the run, before its first local activity. */
  constructor() {
    this.serial = patched(SERIAL_LOCAL_ACTIVITIES);
  }

  recordSteps: Records['recordSteps'] = (steps) => this.queue(() => records.recordSteps(steps));
  recordRunStatus: Records['recordRunStatus'] = (status) => this.queue(() => records.recordRunStatus(status));
  runPureChain: Records['runPureChain'] = (chain) => this.queue(() => chains.runPureChain(chain));
  runPureIterations: Records['runPureIterations'] = (batch) => this.queue(() => chains.runPureIterations(batch));
  loopItems: Records['loopItems'] = (req) => this.queue(() => records.loopItems(req));
  collectLoopResults: Records['collectLoopResults'] = (req) => this.queue(() => records.collectLoopResults(req));
  finishLoop: Records['finishLoop'] = (req) => this.queue(() => records.finishLoop(req));
  saveApprovalState: Records['saveApprovalState'] = (req) => this.queue(() => records.saveApprovalState(req));
  reuseSteps: Records['reuseSteps'] = (req) => this.queue(() => records.reuseSteps(req));

  /**
   * Starts `call` once every local activity queued before it has settled. The call runs in the caller's
   * cancellation scope (promise callbacks keep their async context), so a cancelled branch's queued call fails.
   */
  private queue<T>(call: () => Promise<T>): Promise<T> {
    this.issued++;
    if (!this.serial) return call();
    const result = this.tail.then(call);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
