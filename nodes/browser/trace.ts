// A Playwright trace of the execution (every action, DOM snapshots, screenshots), kept as the run file `trace.zip`
// when a step fails and dropped when the steps succeed. A run that types a credential is never traced: its fill
// values and snapshots would hold the secret (and recording writes them to the worker's disk as it goes).
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import type { FileRef } from '../../contracts/file-ref';
import type { RunFiles } from '../define';

export interface TraceEvidence {
  trace?: FileRef;
  traceSkipped?: string;
}

export interface Trace {
  /** On a failure: the trace stored as a run file, or why there is none. */
  keep(files: RunFiles | undefined): Promise<TraceEvidence>;
  /** On success: stop recording and keep nothing. */
  drop(): Promise<void>;
}

const NONE: Trace = { keep: async () => ({}), drop: async () => undefined };

export async function startTrace(
  context: BrowserContext,
  mode: 'failure' | 'never' | undefined,
  usesCredential: boolean,
): Promise<Trace> {
  if (mode === 'never') return NONE;
  if (usesCredential) return { ...NONE, keep: async () => ({ traceSkipped: 'a credential was used' }) };
  await context.tracing.start({ screenshots: true, snapshots: true });
  return {
    keep: async (files) => {
      if (!files) return { traceSkipped: 'no file store here' };
      const dir = await mkdtemp(join(tmpdir(), 'baton-trace-'));
      try {
        const path = join(dir, 'trace.zip');
        await context.tracing.stop({ path });
        return {
          trace: await files.saveStream({
            name: 'trace.zip',
            mimeType: 'application/zip',
            data: createReadStream(path),
          }),
        };
      } catch {
        // A crashed browser takes its trace with it; the failure is reported without one.
        return { traceSkipped: 'the browser closed before the trace was written' };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    drop: () => context.tracing.stop().catch(() => undefined),
  };
}
