// The lists of the loops this worker is running, read once per loop rather than once per slice: `loopItems` hands a
// loop its items 100 at a time, and reading the whole list back for every slice (for 100,000 items, 2 MB of JSON
// parsed into tens of MB of objects every 100 iterations) let the worker's heap swell to several times what it held.
import type { LoadedInput, StepRef } from './step-io';

/** A list nobody asked for in this long is dropped (its loop failed, or continues on another worker). */
const KEEP_MS = 60_000;
/** Lists kept at once, the least recently used dropped first. */
const MAX_KEPT = 4;

export class LoopInputs {
  private readonly kept = new Map<string, { input: Promise<LoadedInput>; timer: NodeJS.Timeout }>();

  /** The input read from `inputFrom` in run `runId`: kept from an earlier slice, or read by `load`. */
  get(runId: string, inputFrom: StepRef[], load: () => Promise<LoadedInput>): Promise<LoadedInput> {
    const key = JSON.stringify([runId, inputFrom]);
    const kept = this.kept.get(key);
    if (kept) this.drop(key);
    const input = kept?.input ?? load();
    const timer = setTimeout(() => this.drop(key), KEEP_MS);
    timer.unref();
    this.kept.set(key, { input, timer });
    input.catch(() => {
      if (this.kept.get(key)?.input === input) this.drop(key);
    });
    for (const oldest of this.kept.keys()) {
      if (this.kept.size <= MAX_KEPT) break;
      this.drop(oldest);
    }
    return input;
  }

  /** Drops the input of a loop that has been handed its last slice. */
  forget(runId: string, inputFrom: StepRef[]): void {
    this.drop(JSON.stringify([runId, inputFrom]));
  }

  private drop(key: string): void {
    const kept = this.kept.get(key);
    if (!kept) return;
    clearTimeout(kept.timer);
    this.kept.delete(key);
  }
}
