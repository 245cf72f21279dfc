// Loaded into every thread of a worker process (`--require`, temporal/worker-node-flags.ts). The Temporal SDK
// installs a promise hook in its workflow threads that builds an Error and a stack trace for every promise workflow
// code creates, only to answer Temporal's "stack trace" query. For a Loop over 10,000 items that cost a quarter of
// the loop's speed and most of the worker's memory peak (decision 044). The hook is left out; Baton's run history
// shows where a run waits. BATON_WORKFLOW_STACK_TRACES=1 keeps it.
'use strict';
const v8 = require('node:v8');

if (process.env.BATON_WORKFLOW_STACK_TRACES !== '1' && v8.promiseHooks) {
  const createHook = v8.promiseHooks.createHook;
  // src/ when source maps are on (tsx), lib/ otherwise.
  const fromTemporalVm = /@temporalio[\\/]worker[\\/](lib|src)[\\/]workflow[\\/]vm-shared\.[jt]s/;
  v8.promiseHooks.createHook = function createHookUnlessTemporalStackTraces(hooks) {
    if (fromTemporalVm.test(new Error().stack ?? '')) return () => undefined;
    return createHook.call(this, hooks);
  };
}
