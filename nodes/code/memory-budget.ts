// How much memory the Code nodes of one worker process may hold at once. Each execution reserves its memory
// limit before its sandbox starts and waits, first come first served, while the budget is taken: twenty
// parallel 512 MB Code nodes queue instead of running the worker out of memory together.
import { limitError } from './sandbox-protocol';

export const DEFAULT_CODE_MEMORY_BUDGET_MB = 1024;

interface Waiter {
  mb: number;
  grant: () => void;
}

export class MemoryBudget {
  private reservedMb = 0;
  private readonly queue: Waiter[] = [];

  constructor(readonly totalMb: number) {}

  /** Megabytes held by running executions. */
  get inUseMb(): number {
    return this.reservedMb;
  }

  /**
   * Resolves with a release function once `mb` megabytes are free. Aborting `signal` while waiting rejects
   * with its reason and gives up the place in the queue. A request larger than the whole budget fails at once.
   */
  async reserve(mb: number, signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    if (mb > this.totalMb) {
      throw limitError(
        `Code node asks for ${mb} MB of memory, more than this worker's whole Code budget of ${this.totalMb} MB ` +
          "(BATON_CODE_MEMORY_BUDGET_MB); lower the node's memory limit or raise the budget",
      );
    }
    if (this.queue.length === 0 && this.reservedMb + mb <= this.totalMb) return this.take(mb);
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const i = this.queue.indexOf(waiter);
        if (i >= 0) this.queue.splice(i, 1);
        this.grantWaiting(); // a large request leaving the head of the queue may unblock smaller ones behind it
        reject(signal!.reason);
      };
      const waiter: Waiter = {
        mb,
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.queue.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    return this.release(mb);
  }

  private take(mb: number): () => void {
    this.reservedMb += mb;
    return this.release(mb);
  }

  /** The waiter's megabytes were counted when it was granted; this only hands them back, once. */
  private release(mb: number): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.reservedMb -= mb;
      this.grantWaiting();
    };
  }

  private grantWaiting(): void {
    while (this.queue.length > 0 && this.reservedMb + this.queue[0].mb <= this.totalMb) {
      const waiter = this.queue.shift()!;
      this.reservedMb += waiter.mb;
      waiter.grant();
    }
  }
}

/** A positive number of megabytes from the environment, or `fallback` when unset. */
export function megabytesFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const mb = Number(raw);
  if (!Number.isFinite(mb) || mb <= 0) {
    throw new Error(`${name} must be a positive number of megabytes, got "${raw}"; fix the worker's environment`);
  }
  return mb;
}

let processBudget: MemoryBudget | undefined;

/** The worker process's budget, sized by BATON_CODE_MEMORY_BUDGET_MB on first use. */
export function codeMemoryBudget(): MemoryBudget {
  processBudget ??= new MemoryBudget(megabytesFromEnv('BATON_CODE_MEMORY_BUDGET_MB', DEFAULT_CODE_MEMORY_BUDGET_MB));
  return processBudget;
}
