// A first `npm start` probes the FerretDB it built with `--version`; a build from the bare module zip panics there
// (an expected step of the install). Its trace belongs in the install log, not in the terminal.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const installModule = fileURLToPath(new URL('./ferretdb-install.ts', import.meta.url));
// What FerretDB v1.24.2 built without build/version/version.txt prints on stderr before exiting with code 2.
const panic = [
  'panic: Invalid build/version/version.txt file content. Please run `bin/task gen-version`.',
  '\tAlternatively, create this file manually with a content similar to',
  '\tthe output of `git describe`: `v<major>.<minor>.<patch>`.',
  '',
  'goroutine 1 [running]:',
  'github.com/FerretDB/FerretDB/build/version.init.0()',
].join('\n');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'baton-ferretdb-probe-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the probe in a process of its own: the terminal it must not reach is that process's stdout and stderr. */
function probe(binary: string, logFile: string) {
  const script = `import { versionEmbedded } from ${JSON.stringify(installModule)};
console.log(JSON.stringify(versionEmbedded(${JSON.stringify(binary)}, ${JSON.stringify(logFile)})));`;
  return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script], {
    encoding: 'utf8',
  });
}

test('the version probe of a panicking FerretDB build prints nothing and keeps the trace in the install log', () => {
  const binary = path.join(dir, 'ferretdb-without-version');
  writeFileSync(binary, `#!/bin/sh\ncat >&2 <<'EOF'\n${panic}\nEOF\nexit 2\n`, { mode: 0o755 });
  const logFile = path.join(dir, 'install-ferretdb.log');

  const terminal = probe(binary, logFile);
  expect(terminal.status).toBe(0);
  expect(terminal.stderr).toBe('');
  expect(terminal.stdout).toBe('false\n');
  const log = readFileSync(logFile, 'utf8');
  expect(log).toContain(`$ ${binary} --version`);
  expect(log).toContain(panic);
  expect(log).toContain('(exited with code 2)');
});

test('the version probe recognises a build that reports v1.24.2', () => {
  const binary = path.join(dir, 'ferretdb-with-version');
  writeFileSync(binary, '#!/bin/sh\necho "version: v1.24.2"\necho "commit: unknown"\n', { mode: 0o755 });
  const logFile = path.join(dir, 'install-ferretdb-ok.log');

  const terminal = probe(binary, logFile);
  expect(terminal.stderr).toBe('');
  expect(terminal.stdout).toBe('true\n');
});
