// The server a PostgreSQL or MySQL node connects to: its credential, opened inside the activity (decision 037).
import type { RunContext } from '../define';
import { NodeError } from '../errors';
import { serverSettings, type ServerSettings } from './server-settings';

export async function serverFromCredential(
  ctx: RunContext,
  opts: { id: string; type: string; title: string; timeoutSeconds: number },
): Promise<ServerSettings> {
  const node = `${opts.title} node "${ctx.nodeName}"`;
  if (!ctx.credential)
    throw new NodeError(`${node}: credentials cannot be opened where this node runs`, {
      code: 'credential-unavailable',
      retryable: false,
    });
  const opened = await ctx.credential(opts.id, [opts.type]);
  try {
    return serverSettings(opts.title, opened.values, opts.timeoutSeconds * 1000);
  } catch (err) {
    throw new NodeError(`${node}: ${(err as Error).message}`, { code: 'param-invalid', retryable: false });
  }
}
