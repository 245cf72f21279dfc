// Node runners are found by convention, keyed by type and version: `nodes/<type>/run.ts` exports `run` for
// version 1 and `runV<n>` for each later version whose behaviour differs. There is no second list. Activities
// and express runs (express/) both find runners here.
import type { NodeRunner, ParamDefs } from './define';

export type RunnerLookup = (type: string, version: number) => Promise<NodeRunner<ParamDefs>>;

/** The export of `nodes/<type>/run.ts` that runs `version`. */
export const runnerExport = (version: number) => (version === 1 ? 'run' : `runV${version}`);

const cache = new Map<string, Promise<NodeRunner<ParamDefs>>>();

export const loadRunner: RunnerLookup = (type, version) => {
  // The type is a folder name; anything else must not reach a dynamic import path.
  if (!/^[a-z0-9][a-z0-9-]*$/.test(type))
    return Promise.reject(runnerError(`Node type "${type}" is not a valid node folder name.`));
  if (!Number.isSafeInteger(version) || version < 1)
    return Promise.reject(runnerError(`Node ${type} has version ${version}; versions are whole numbers from 1.`));
  const key = `${type}@${version}`;
  let runner = cache.get(key);
  if (!runner) {
    const name = runnerExport(version);
    runner = import(`./${type}/run`).then(
      (mod: Record<string, unknown>) => {
        const found = mod[name];
        if (typeof found !== 'function')
          throw runnerError(
            `nodes/${type}/run.ts does not export \`${name}\`, the runner of ${key}; add it, or deploy a worker that has it.`,
          );
        return found as NodeRunner<ParamDefs>;
      },
      (err: unknown) => {
        throw runnerError(`No runner for node ${key}: cannot load nodes/${type}/run.ts (${(err as Error).message}).`);
      },
    );
    void runner.catch(() => cache.delete(key));
    cache.set(key, runner);
  }
  return runner;
};

function runnerError(message: string): Error {
  return Object.assign(new Error(message), { code: 'runner-missing' });
}
