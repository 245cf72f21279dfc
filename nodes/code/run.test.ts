import { makeRunContext } from '../testing';
import { run } from './run';

describe('code run', () => {
  it('runs with the params limits and logs console output', async () => {
    const ctx = makeRunContext();
    const out = await run(
      ctx,
      { code: 'console.log("n", items.length); return items;', timeoutMs: 1000, memoryMb: 32 },
      { a: 1 },
    );
    expect(out).toEqual([{ a: 1 }]);
    expect(ctx.logged).toEqual([{ level: 'info', msg: 'Code node console output', meta: { lines: ['n 1'] } }]);
  });

  it('converts memoryMb into the limit it reports', async () => {
    const err: any = await run(
      makeRunContext(),
      { code: 'let s = "x"; while (true) s += s;', timeoutMs: 5000, memoryMb: 16 },
      {},
    ).catch((e: unknown) => e);
    expect(err.message).toBe('Code node exceeded its 16 MB memory limit');
  });

  it('stops the code when the run is cancelled', async () => {
    const cancel = new AbortController();
    setTimeout(() => cancel.abort(new Error('run cancelled')), 200);
    const err: any = await run(
      makeRunContext({ signal: cancel.signal }),
      { code: 'while (true) {}', timeoutMs: 60_000, memoryMb: 16 },
      {},
    ).catch((e: unknown) => e);
    expect(err.message).toBe('run cancelled');
  });
});
