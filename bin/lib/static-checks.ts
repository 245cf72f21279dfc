// The static half of `npm test`: the type checker, ESLint (incl. the workflow determinism rule) and Prettier.
import path from 'node:path';
import { startProcess } from '../../temporal/services/child-process';
import type { TestCounts } from './test-reports';
import type { ProcessTree } from './process-tree';
import { appRoot } from './app-processes';

const checks = [
  { name: 'typecheck (tsc --noEmit)', bin: ['typescript', 'bin', 'tsc'], args: ['--noEmit', '-p', '.'] },
  { name: 'lint (eslint .)', bin: ['eslint', 'bin', 'eslint.js'], args: ['.', '--max-warnings=0'] },
  {
    name: 'format (prettier --check .)',
    bin: ['prettier', 'bin', 'prettier.cjs'],
    args: ['--check', '.', '--log-level=warn'],
  },
];

/** Each check counts as one test: it passes when the tool exits 0. */
export async function runStaticChecks(
  tree: ProcessTree,
  logsDir: string,
  log: (line: string) => void,
): Promise<TestCounts> {
  const counts: TestCounts = { passed: 0, failed: 0 };
  for (const check of checks) {
    log(`Checking ${check.name}…`);
    const proc = await startProcess({
      name: check.name,
      command: process.execPath,
      args: [path.join(appRoot, 'node_modules', ...check.bin), ...check.args],
      cwd: appRoot,
      inheritOutput: true,
      logFile: path.join(logsDir, 'static-checks.log'),
      watchdogLog: path.join(logsDir, 'watchdog.log'),
    });
    tree.track(proc);
    const { code } = await proc.exited;
    if (code === 0) counts.passed += 1;
    else {
      counts.failed += 1;
      log(`✗ ${check.name} failed (exit ${code}).`);
    }
  }
  return counts;
}
