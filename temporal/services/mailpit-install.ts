// Finds Mailpit (a local SMTP server with a mailbox API) or installs it into the Baton bin dir: the official release
// binary where GitHub is reachable, else `go install` through the Go module proxy (about 80 s the first time).
import { chmodSync, createWriteStream, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { findGo, findOnPath, firstExisting, runLogged, step, type Log } from './installer';

export const MAILPIT_VERSION = 'v1.33.1';
const goPackage = `github.com/axllent/mailpit@${MAILPIT_VERSION}`;

/** Order: Baton's own install, then PATH, then the release binary, then go install. */
export async function resolveMailpit(opts: { binDir: string; logsDir: string; log: Log; env: NodeJS.ProcessEnv }) {
  const found = firstExisting([path.join(opts.binDir, 'mailpit')]) ?? findOnPath('mailpit', opts.env);
  if (found) return found;

  mkdirSync(opts.binDir, { recursive: true });
  const failures: string[] = [];
  const releaseLog = path.join(opts.logsDir, 'install-mailpit-release.log');
  const asset = releaseAsset();
  if (asset) {
    try {
      return await step(
        opts.log,
        `Installing Mailpit ${MAILPIT_VERSION} (release binary)`,
        () => installRelease(asset, opts.binDir, releaseLog),
        releaseLog,
      );
    } catch (error) {
      const reason = (error as Error).message.split('\n')[0];
      failures.push(`release binary: ${reason}`);
      opts.log(`Downloading the Mailpit release failed (${reason}); trying go install.`);
    }
  }
  const goLog = path.join(opts.logsDir, 'install-mailpit-go.log');
  const go = findGo(opts.env);
  if (!go) {
    failures.push('go install: `go` is not on PATH (nor in /usr/local/go/bin)');
  } else {
    try {
      return await step(
        opts.log,
        `Installing Mailpit (go install ${goPackage}, a few minutes on first use)`,
        () => installWithGo(go, opts.binDir, goLog),
        goLog,
      );
    } catch (error) {
      failures.push(`go install: ${(error as Error).message}`);
    }
  }
  throw new Error(
    `Could not install Mailpit into ${opts.binDir}.\n${failures.join('\n')}\n` +
      'Install Go ≥ 1.21 (https://go.dev/dl; it fetches the Go 1.26 toolchain Mailpit needs) so Baton can build it, or install Mailpit yourself ' +
      '(https://mailpit.axllent.org/docs/install/) and put `mailpit` on PATH, ' +
      'or set BATON_SMTP_URL to an SMTP server you run (smtp://host:port).',
  );
}

function releaseAsset(): string | undefined {
  const os = { linux: 'linux', darwin: 'darwin' }[process.platform as string];
  const arch = { x64: 'amd64', arm64: 'arm64' }[process.arch as string];
  if (!os || !arch) return undefined;
  return `https://github.com/axllent/mailpit/releases/download/${MAILPIT_VERSION}/mailpit-${os}-${arch}.tar.gz`;
}

/** Downloads and unpacks into a scratch dir, then renames: a cut-short install is never taken for a good one. */
async function installRelease(url: string, binDir: string, logFile: string): Promise<string> {
  const scratch = path.join(binDir, `.mailpit-${process.pid}.tmp`);
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  try {
    const archive = path.join(scratch, 'mailpit.tar.gz');
    // Where GitHub is unreachable the answer never comes: give up on it after 30 s, and on the download after 5 min.
    const answered = new AbortController();
    const waiting = setTimeout(() => answered.abort(new Error('no answer within 30 s')), 30_000);
    const signal = AbortSignal.any([answered.signal, AbortSignal.timeout(5 * 60_000)]);
    const response = await fetch(url, { signal }).finally(() => clearTimeout(waiting));
    if (!response.ok || !response.body) throw new Error(`GET ${url} answered ${response.status}`);
    await pipeline(Readable.fromWeb(response.body as WebReadableStream), createWriteStream(archive), { signal });
    await runLogged('tar', ['-xzf', archive, '-C', scratch, 'mailpit'], { logFile, timeoutMs: 60_000 });
    const binary = path.join(scratch, 'mailpit');
    if (!existsSync(binary)) throw new Error(`${url} has no mailpit binary`);
    chmodSync(binary, 0o755);
    const target = path.join(binDir, 'mailpit');
    renameSync(binary, target);
    return target;
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    throw new Error(`${(error as Error).message}${cause ? ` (${cause})` : ''}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function installWithGo(go: string, binDir: string, logFile: string): Promise<string> {
  const scratch = path.join(binDir, `.mailpit-go-${process.pid}.tmp`);
  rmSync(scratch, { recursive: true, force: true });
  try {
    await runLogged(go, ['install', goPackage], {
      logFile,
      env: { ...process.env, GOBIN: scratch, GOFLAGS: '-buildvcs=false' },
      timeoutMs: 20 * 60_000,
    });
    const target = path.join(binDir, 'mailpit');
    renameSync(path.join(scratch, 'mailpit'), target);
    return target;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
