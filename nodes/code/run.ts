import type { NodeRunner } from '../define';
import { runInSandbox } from './sandbox';
import type { spec } from './spec';

export const run: NodeRunner<typeof spec.params> = async (ctx, params, input) => {
  const lines: string[] = [];
  try {
    return await runInSandbox({
      code: params.code,
      input,
      timeoutMs: params.timeoutMs,
      memoryBytes: params.memoryMb * 1024 * 1024,
      onConsole: (line) => lines.push(line),
      signal: ctx.signal,
    });
  } finally {
    if (lines.length) ctx.log.info('Code node console output', { lines });
  }
};
