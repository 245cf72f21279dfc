// Node runners are found by convention (nodes/<type>/run.ts); there is no second list of them.
import type { NodeRunner, ParamDefs } from '../nodes/define';

const cache = new Map<string, Promise<NodeRunner<ParamDefs>>>();

export function loadRunner(type: string): Promise<NodeRunner<ParamDefs>> {
  // The type is a folder name; anything else must not reach a dynamic import path.
  if (!/^[a-z0-9][a-z0-9-]*$/.test(type))
    return Promise.reject(runnerError(`Node type "${type}" is not a valid node folder name.`));
  let runner = cache.get(type);
  if (!runner) {
    runner = import(`../nodes/${type}/run`).then(
      (mod: { run?: NodeRunner<ParamDefs> }) => {
        if (typeof mod.run !== 'function')
          throw runnerError(`nodes/${type}/run.ts does not export a \`run\` function.`);
        return mod.run;
      },
      (err: unknown) => {
        throw runnerError(
          `No runner for node type "${type}": cannot load nodes/${type}/run.ts (${(err as Error).message}).`,
        );
      },
    );
    void runner.catch(() => cache.delete(type));
    cache.set(type, runner);
  }
  return runner;
}

function runnerError(message: string): Error {
  return Object.assign(new Error(message), { code: 'runner-missing' });
}
