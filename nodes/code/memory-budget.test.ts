import { NodeError } from '../errors';
import { makeRunContext } from '../testing';
import { MemoryBudget, megabytesFromEnv } from './memory-budget';
import { run } from './run';
import { runInSandbox } from './sandbox';

const MB = 1024 * 1024;

describe('Code memory budget', () => {
  it('queues executions whose memory limits do not fit together', async () => {
    const budget = new MemoryBudget(512);
    let running = 0;
    let mostAtOnce = 0;
    // Each execution reports from inside QuickJS that it started, then keeps its thread busy for a second.
    const execution = (n: number) => {
      let started = false;
      return runInSandbox({
        code: 'console.log("started"); const end = Date.now() + 1000; while (Date.now() < end) {} return input;',
        input: n,
        timeoutMs: 20_000,
        memoryBytes: 256 * MB,
        memory: budget,
        onConsole: () => {
          started = true;
          running++;
          mostAtOnce = Math.max(mostAtOnce, running);
        },
      }).finally(() => {
        if (started) running--;
      });
    };
    const results = await Promise.all([1, 2, 3, 4, 5].map(execution));
    expect(results).toEqual([1, 2, 3, 4, 5]);
    expect(mostAtOnce).toBe(2);
    expect(budget.inUseMb).toBe(0);
  }, 60_000);

  it('gives up a place in the queue when the run is cancelled while waiting', async () => {
    const budget = new MemoryBudget(100);
    const holder = await budget.reserve(100);
    const cancel = new AbortController();
    const waiting = budget.reserve(50, cancel.signal);
    const next = budget.reserve(50);
    const reason = new Error('activity cancelled');
    cancel.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    holder();
    const release = await next;
    expect(budget.inUseMb).toBe(50);
    release();
    release(); // a second release gives nothing back twice
    expect(budget.inUseMb).toBe(0);
  });

  it('fails a request larger than the whole budget at once', async () => {
    const err = await new MemoryBudget(256).reserve(512).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NodeError);
    expect(err).toMatchObject({
      code: 'code-limit',
      retryable: false,
      message:
        "Code node asks for 512 MB of memory, more than this worker's whole Code budget of 256 MB " +
        "(BATON_CODE_MEMORY_BUDGET_MB); lower the node's memory limit or raise the budget",
    });
  });

  it('sizes the worker-wide budget from BATON_CODE_MEMORY_BUDGET_MB', async () => {
    process.env.BATON_CODE_MEMORY_BUDGET_MB = '16';
    const tooBig = await run(makeRunContext(), { code: 'return 1;', timeoutMs: 1000, memoryMb: 32 }, {}).catch(
      (e: unknown) => e,
    );
    expect(tooBig).toMatchObject({ code: 'code-limit', message: expect.stringMatching(/Code budget of 16 MB/) });
    await expect(run(makeRunContext(), { code: 'return 2;', timeoutMs: 1000, memoryMb: 16 }, {})).resolves.toBe(2);

    process.env.BATON_TEST_MB = 'lots';
    expect(() => megabytesFromEnv('BATON_TEST_MB', 1)).toThrow(
      'BATON_TEST_MB must be a positive number of megabytes, got "lots"',
    );
    delete process.env.BATON_TEST_MB;
    expect(megabytesFromEnv('BATON_TEST_MB', 7)).toBe(7);
  });
});
