// The benchmark's baseline: what a developer would hand-write in Temporal for a chain of N light steps.
// Bundled only into the benchmark worker, never into the product's workflows/index.ts.
import { proxyActivities } from '@temporalio/workflow';

export interface BaselineActivities {
  setFields(input: Record<string, unknown>, fields: Record<string, unknown>): Promise<Record<string, unknown>>;
}

const { setFields } = proxyActivities<BaselineActivities>({
  startToCloseTimeout: '60s',
  retry: { maximumAttempts: 3 },
});

export async function baselineChain(steps: number): Promise<Record<string, unknown>> {
  let value: Record<string, unknown> = {};
  for (let i = 0; i < steps; i++) value = await setFields(value, { [`step${i}`]: i });
  return value;
}
