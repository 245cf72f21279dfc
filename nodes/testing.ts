// A RunContext for exercising runners directly in tests, with its log lines captured for assertions.
import type { RunContext } from './define';

export interface TestRunContext extends RunContext {
  logged: Array<{ level: 'info' | 'warn'; msg: string; meta?: Record<string, unknown> }>;
}

export function makeRunContext(overrides: Partial<RunContext> = {}): TestRunContext {
  const logged: TestRunContext['logged'] = [];
  return {
    runId: 'run-1',
    workflowId: 'wf-1',
    nodeId: 'node-1',
    nodeName: 'Node',
    idempotencyKey: 'run-1:node-1:0',
    attempt: 1,
    signal: new AbortController().signal,
    heartbeat: () => undefined,
    log: {
      info: (msg, meta) => logged.push({ level: 'info', msg, meta }),
      warn: (msg, meta) => logged.push({ level: 'warn', msg, meta }),
    },
    logged,
    ...overrides,
  };
}
