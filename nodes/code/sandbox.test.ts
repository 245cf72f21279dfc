import { NodeError } from '../errors';
import { BACKSTOP_GRACE_MS, runInSandbox } from './sandbox';

const MB = 1024 * 1024;
const exec = (code: string, input: unknown = {}, over: { timeoutMs?: number; memoryBytes?: number } = {}) =>
  runInSandbox({ code, input, timeoutMs: over.timeoutMs ?? 5000, memoryBytes: over.memoryBytes ?? 64 * MB });

describe('runInSandbox', () => {
  it('exposes items and input and returns JSON', async () => {
    await expect(exec('return items.map((i) => i.n * 2);', [{ n: 1 }, { n: 2 }])).resolves.toEqual([2, 4]);
    await expect(exec('return { count: items.length, raw: input };', { n: 1 })).resolves.toEqual({
      count: 1,
      raw: { n: 1 },
    });
    await expect(exec('return null;')).resolves.toBeNull();
  });

  it('has no Node or host globals', async () => {
    await expect(exec('return [typeof process, typeof require, typeof fetch, typeof setTimeout];')).resolves.toEqual([
      'undefined',
      'undefined',
      'undefined',
      'undefined',
    ]);
  });

  it('leaves nothing of one execution to the next in the same warm thread', async () => {
    // Sequential executions reuse the idle thread and its compiled QuickJS module; each gets a runtime of its own.
    await expect(
      exec('globalThis.leaked = 42; Object.prototype.polluted = 1; Array.prototype.map = () => "hijacked"; return 1;'),
    ).resolves.toBe(1);
    await expect(
      exec('return [typeof leaked, ({}).polluted === undefined, [1, 2].map((n) => n * 2)];'),
    ).resolves.toEqual(['undefined', true, [2, 4]]);
  });

  it('requires a returned value', async () => {
    await expect(exec('const x = 1;')).rejects.toThrow(/returned no value/);
  });

  it('reports syntax errors with the user line', async () => {
    const err: any = await exec('const a = 1;\nconst b = 2;\nreturn a +* b;').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NodeError);
    expect(err.code).toBe('code-error');
    expect(err.message).toMatch(/^Code node syntax error at line 3: SyntaxError/);
  });

  it('reports runtime errors with the user line', async () => {
    await expect(exec('const a = 1;\nreturn missing.x;')).rejects.toThrow(
      /^Code node error at line 2: ReferenceError: 'missing' is not defined/,
    );
    await expect(exec('throw new Error("custom failure");')).rejects.toThrow(
      'Code node error at line 1: Error: custom failure',
    );
  });

  it('stops an infinite loop at the time limit and stays usable', async () => {
    const started = Date.now();
    const err: any = await exec('while (true) {}', {}, { timeoutMs: 500 }).catch((e: unknown) => e);
    expect(err.message).toBe('Code node exceeded its 500 ms time limit');
    expect(err.code).toBe('code-limit');
    expect(Date.now() - started).toBeLessThan(10_000); // without the limit it never ends
    await expect(exec('return 1 + 1;')).resolves.toBe(2);
  });

  it('stops unbounded allocation at the memory limit and stays usable', async () => {
    // A generous time limit, so on a busy machine the memory limit is still the one that fires.
    const err: any = await exec('let a = []; while (true) a.push(new Array(1e6));', {}, { timeoutMs: 30_000 }).catch(
      (e: unknown) => e,
    );
    expect(err.message).toBe('Code node exceeded its 64 MB memory limit');
    expect(err.code).toBe('code-limit');
    await expect(exec('return "ok";')).resolves.toBe('ok');
  });

  it('reports a result too large to copy out of QuickJS as the memory limit', async () => {
    const err: any = await exec('return "\u00e9".repeat(8.5e6);', {}, { memoryBytes: 16 * MB }).catch(
      (e: unknown) => e,
    );
    expect(err.message).toBe('Code node exceeded its 16 MB memory limit');
    expect(err.code).toBe('code-limit');
  });

  it('fails a result over the size cap with code-limit, without copying it out of QuickJS', async () => {
    const err: any = await runInSandbox({
      code: 'return "x".repeat(3 * 1024 * 1024);',
      input: {},
      timeoutMs: 5000,
      memoryBytes: 64 * MB,
      maxResultChars: 2 * MB,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NodeError);
    expect(err.code).toBe('code-limit');
    expect(err.message).toBe(
      'Code node returned 3.0 MB of JSON; the limit is 2.0 MB (BATON_CODE_MAX_RESULT_MB on the worker). ' +
        'Return less data, or split the work across nodes',
    );
    await expect(
      runInSandbox({
        code: 'return "x".repeat(1024);',
        input: {},
        timeoutMs: 5000,
        memoryBytes: 64 * MB,
        maxResultChars: 2 * MB,
      }),
    ).resolves.toHaveLength(1024);
  });

  it('rejects an input larger than the memory limit before starting', async () => {
    const err: any = await exec('return 1;', 'x'.repeat(9 * MB), { memoryBytes: 8 * MB }).catch((e: unknown) => e);
    expect(err.message).toBe('Code node exceeded its 8 MB memory limit');
  });

  it('stops runaway recursion cleanly', async () => {
    await expect(exec('function f() { return f() + 1; } return f();')).rejects.toThrow(/stack depth limit/);
    await expect(exec('return [1].length;')).resolves.toBe(1);
  });

  it('hands bounded console lines to the caller', async () => {
    const lines: string[] = [];
    await runInSandbox({
      code: 'console.log("hi", { a: 1 }); for (let i = 0; i < 500; i++) console.log("x".repeat(5000)); return 0;',
      input: {},
      timeoutMs: 5000,
      memoryBytes: 64 * MB,
      onConsole: (line) => lines.push(line),
    });
    expect(lines[0]).toBe('hi {"a":1}');
    expect(lines.length).toBe(100);
    expect(lines[1].length).toBe(2000);
  });

  it('keeps the host event loop responsive while user code loops', async () => {
    await exec('return 0;'); // a warm thread, so the loop below is all that runs
    let ticks = 0;
    let lastTick = Date.now();
    let longestGap = 0;
    const ticker = setInterval(() => {
      longestGap = Math.max(longestGap, Date.now() - lastTick);
      lastTick = Date.now();
      ticks++;
    }, 10);
    try {
      const err: any = await exec('while (true) {}', {}, { timeoutMs: 1000 }).catch((e: unknown) => e);
      expect(err.message).toBe('Code node exceeded its 1000 ms time limit');
    } finally {
      clearInterval(ticker);
    }
    // On the host's own thread the loop would allow no tick at all until it ended.
    expect(ticks).toBeGreaterThanOrEqual(20);
    expect(longestGap).toBeLessThan(500);
  });

  it('terminates a thread that overruns its time limit inside native code', async () => {
    // QuickJS checks its deadline between operations, not inside a backtracking regex (here ~2^32 steps).
    const started = Date.now();
    const err: any = await exec("return /^(a+)+b$/.test('a'.repeat(32));", {}, { timeoutMs: 200 }).catch(
      (e: unknown) => e,
    );
    expect(err.message).toBe('Code node exceeded its 200 ms time limit');
    expect(err.code).toBe('code-limit');
    expect(Date.now() - started).toBeGreaterThanOrEqual(200 + BACKSTOP_GRACE_MS);
    expect(Date.now() - started).toBeLessThan(200 + BACKSTOP_GRACE_MS + 3000);
    await expect(exec('return "next";')).resolves.toBe('next');
  });

  it('terminates the thread when the run is cancelled', async () => {
    const cancel = new AbortController();
    const reason = new Error('activity cancelled');
    setTimeout(() => cancel.abort(reason), 300);
    const started = Date.now();
    const run = runInSandbox({
      code: 'while (true) {}',
      input: {},
      timeoutMs: 30_000,
      memoryBytes: 64 * MB,
      signal: cancel.signal,
    });
    await expect(run).rejects.toBe(reason);
    expect(Date.now() - started).toBeLessThan(3000);
    await expect(
      runInSandbox({ code: 'return 1;', input: {}, timeoutMs: 1000, memoryBytes: MB, signal: cancel.signal }),
    ).rejects.toBe(reason);
  });

  it('runs executions in parallel threads', async () => {
    const results = await Promise.all([1, 2, 3].map((n) => exec(`return input * 10;`, n)));
    expect(results).toEqual([10, 20, 30]);
  });
});
