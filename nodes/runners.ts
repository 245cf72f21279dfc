// Node runners are found by convention, keyed by type and version: `nodes/<type>/run.ts` exports `run` for
// version 1 and `runV<n>` for each later version whose behaviour differs. There is no second list. Activities
// and express runs (express/) both find runners here.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
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
    runner = importRunnerModule(type).then(
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

/**
 * `nodes/<type>/run.ts`, by the import beside this file; inside the web's Vite server bundle, which cannot follow
 * that import (build/server/assets has no nodes/ beside it) and runs under tsx (bin/lib/app-processes.ts), from the
 * source file under the app root instead. Express runs started by a form page and the listing tests' dry run load
 * their runners there.
 */
async function importRunnerModule(type: string): Promise<Record<string, unknown>> {
  try {
    return (await import(`./${type}/run`)) as Record<string, unknown>;
  } catch (err) {
    const source = path.join(process.cwd(), 'nodes', type, 'run.ts');
    return (await import(/* @vite-ignore */ pathToFileURL(source).href).catch(() => {
      throw err;
    })) as Record<string, unknown>;
  }
}

function runnerError(message: string): Error {
  return Object.assign(new Error(message), { code: 'runner-missing' });
}
