// Port choice for embedded services: an explicit port, else the well-known default if free, else any free port.
import net from 'node:net';

export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * `explicit` comes from an env var such as BATON_TEMPORAL_PORT and must be honoured or fail loudly;
 * `preferred` (7233, 27017…) is taken only when nothing else listens there.
 */
export async function choosePort(opts: {
  explicit?: string;
  explicitName: string;
  preferred?: number;
}): Promise<number> {
  if (opts.explicit) {
    const port = Number(opts.explicit);
    if (!Number.isInteger(port) || port <= 0 || port > 65535) {
      throw new Error(`${opts.explicitName}=${opts.explicit} is not a TCP port; use a number between 1 and 65535.`);
    }
    if (!(await isPortFree(port))) {
      throw new Error(`${opts.explicitName}=${port} is already in use on 127.0.0.1; pick another port or unset it.`);
    }
    return port;
  }
  if (opts.preferred !== undefined && (await isPortFree(opts.preferred))) return opts.preferred;
  return freePort();
}
