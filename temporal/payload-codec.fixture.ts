// Workflows for temporal/payload-codec.test.ts: one returns what its activity made of its input, one fails
// with a message that holds its input.
import { proxyActivities } from '@temporalio/workflow';

export interface CodecActivities {
  echo(value: string): Promise<string>;
  refuse(value: string): Promise<string>;
}

const { echo, refuse } = proxyActivities<CodecActivities>({
  startToCloseTimeout: '10s',
  retry: { maximumAttempts: 1 },
});

export async function codecEcho(value: string): Promise<string> {
  return echo(value);
}

export async function codecRefuse(value: string): Promise<string> {
  return refuse(value);
}
