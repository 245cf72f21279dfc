// Builds FerretDB 1.24 (MongoDB wire protocol over SQLite) into the Baton bin dir with Go.
import {
  cpSync,
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { captureOutput, findGo, runLogged, step, type Log } from './installer';

const version = 'v1.24.2';
const modulePath = 'github.com/FerretDB/FerretDB';

/**
 * `go install …@v1.24.2` is the official route but fails where the module proxy refuses the deprecation lookup,
 * and the module zip ships an empty build/version/version.txt (the binary then panics at start). The fallback
 * downloads the module, copies it somewhere writable, fills in the version and builds it.
 */
export async function installFerretDb(opts: { binDir: string; logsDir: string; log: Log }): Promise<string> {
  const go = findGo();
  if (!go) {
    throw new Error(
      'FerretDB has to be built with Go ≥ 1.21 and `go` is not on PATH. Install Go (https://go.dev/dl), ' +
        'or install MongoDB (`mongod` on PATH), or set MONGODB_URI to a running MongoDB.',
    );
  }
  mkdirSync(opts.binDir, { recursive: true });
  const logFile = path.join(opts.logsDir, 'install-ferretdb.log');
  const binary = path.join(opts.binDir, 'ferretdb');
  return step(
    opts.log,
    `Installing FerretDB ${version} (go build, 1–2 minutes on first use)`,
    async () => {
      try {
        await goInstall(go, opts.binDir, logFile);
        if (existsSync(binary)) return binary;
      } catch {
        // Expected where the proxy refuses the deprecation lookup; the log keeps the details.
      }
      await buildFromModule(go, binary, logFile);
      return binary;
    },
    logFile,
  );
}

async function goInstall(go: string, binDir: string, logFile: string) {
  await runLogged(go, ['install', `${modulePath}/cmd/ferretdb@${version}`], {
    logFile,
    env: { ...process.env, GOBIN: binDir, GOFLAGS: '-buildvcs=false' },
    timeoutMs: 20 * 60_000,
  });
  if (!versionEmbedded(path.join(binDir, 'ferretdb'), logFile)) rmSync(path.join(binDir, 'ferretdb'), { force: true });
}

async function buildFromModule(go: string, binary: string, logFile: string) {
  const scratch = mkdtempSync(path.join(path.dirname(binary), '.ferretdb-build-'));
  try {
    const fetcher = path.join(scratch, 'fetch');
    mkdirSync(fetcher);
    const env = { ...process.env, GOFLAGS: '-buildvcs=false', GOWORK: 'off' };
    await runLogged(go, ['mod', 'init', 'baton.local/fetch-ferretdb'], { logFile, env, cwd: fetcher });
    await runLogged(go, ['get', `${modulePath}/cmd/ferretdb@${version}`], {
      logFile,
      env,
      cwd: fetcher,
      timeoutMs: 20 * 60_000,
    });

    const modCache = captureOutput(go, ['env', 'GOMODCACHE'], { logFile, timeoutMs: 60_000 }).trim();
    const source = path.join(modCache, 'github.com', '!ferret!d!b', `!ferret!d!b@${version}`);
    if (!existsSync(source)) throw new Error(`go get finished but ${source} is missing; see ${logFile}.`);
    const tree = path.join(scratch, 'src');
    cpSync(source, tree, { recursive: true });
    makeWritable(tree); // the module cache is read-only
    writeFileSync(path.join(tree, 'build', 'version', 'version.txt'), `${version}\n`);

    const output = `${binary}.${process.pid}.tmp`;
    await runLogged(go, ['build', '-o', output, './cmd/ferretdb'], { logFile, env, cwd: tree, timeoutMs: 30 * 60_000 });
    renameSync(output, binary);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * A binary built from the bare module zip panics at start; `--version` shows whether it has a version. The panic
 * trace is expected on a first install and goes to the install log only (docs/decisions/001-embedded-services.md).
 */
export function versionEmbedded(binary: string, logFile: string): boolean {
  try {
    return captureOutput(binary, ['--version'], { logFile, timeoutMs: 10_000 }).includes(version.slice(1));
  } catch {
    return false; // captureOutput wrote what the binary said to the log
  }
}

function makeWritable(dir: string) {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) makeWritable(full);
    else chmodSync(full, 0o644);
  }
}
