// Chooses the load generator: wrk, installed on the spot when the benchmark runs as root, else the Node fallback.
import { spawnSync } from 'node:child_process';
import type { LoadOptions, LoadResult } from './load-result';
import { runNodeLoad } from './node-load';
import { runWrk } from './wrk';

export type { LoadOptions, LoadResult } from './load-result';

export type LoadTool = 'wrk' | 'node';

const hasWrk = () => spawnSync('sh', ['-c', 'command -v wrk'], { stdio: 'ignore' }).status === 0;

/** wrk if it is on PATH or can be installed now; otherwise says why the Node generator is used. */
export function chooseLoadTool(log: (line: string) => void): LoadTool {
  if (hasWrk()) return 'wrk';
  if (process.getuid?.() === 0) {
    log('wrk is missing: installing it with `apt-get install -y wrk`…');
    const install = () => spawnSync('apt-get', ['install', '-y', 'wrk'], { stdio: 'inherit' }).status === 0;
    if (!install()) {
      spawnSync('apt-get', ['update'], { stdio: 'inherit' });
      install();
    }
    if (hasWrk()) return 'wrk';
    log('Installing wrk failed (see apt-get above).');
  } else {
    log('wrk is missing: install it with `sudo apt-get install -y wrk` (the peers are measured with wrk).');
  }
  log('Using the built-in Node load generator instead; its figures are not directly comparable with wrk runs.');
  return 'node';
}

export function runLoad(tool: LoadTool, opts: LoadOptions): Promise<LoadResult> {
  return tool === 'wrk' ? runWrk(opts) : runNodeLoad(opts);
}
