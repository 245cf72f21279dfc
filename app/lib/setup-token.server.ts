// First-run setup makes its visitor the owner, so a visitor from another machine must prove they can read this
// server's terminal: a one-time token, made when the web process starts without an owner and printed there.
// A browser on the server itself (isLocalClient) needs none: whoever sits there owns the machine anyway.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { networkInterfaces } from 'node:os';

export type SetupTokenCheck = 'ok' | 'missing' | 'wrong' | 'used-or-closed';

/** Lives in the server process and reaches routes through Remix's load context (routes load as another module copy). */
export interface SetupToken {
  /** The token to print; undefined when none was made (an owner existed at start) or it was used. */
  readonly value: string | undefined;
  check(candidate: string | undefined): SetupTokenCheck;
  /** Called once the owner exists: the token never works again. */
  consume(): void;
}

export function createSetupToken({ ownerExists }: { ownerExists: boolean }): SetupToken {
  let value = ownerExists ? undefined : randomBytes(24).toString('base64url');
  return {
    get value() {
      return value;
    },
    check(candidate) {
      if (!candidate) return 'missing';
      if (!value) return 'used-or-closed';
      return sameSecret(candidate, value) ? 'ok' : 'wrong';
    },
    consume() {
      value = undefined;
    },
  };
}

// Hashing first gives equal lengths, so the comparison time says nothing about the token, not even its length.
function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

const REFUSALS: Record<Exclude<SetupTokenCheck, 'ok'>, string> = {
  missing:
    'Setting up Baton from another machine needs the setup token that Baton printed in its terminal ' +
    '(the line with /setup?token=…). Open that link, or paste the token.',
  wrong: 'That is not the setup token Baton printed in its terminal; copy it again from the line with /setup?token=….',
  'used-or-closed':
    'This web server has no open setup token: it was used, or an owner existed when the server started. ' +
    'Restart the web server to print a new one, or set up from a browser on the server itself.',
};

/** Why this setup request may not create the owner, or undefined when it may. */
export function setupTokenRefusal(
  context: { localClient: boolean; setupToken: SetupToken },
  candidate: unknown,
): { reason: Exclude<SetupTokenCheck, 'ok'>; message: string } | undefined {
  if (context.localClient) return undefined;
  const result = context.setupToken.check(typeof candidate === 'string' ? candidate.trim() : undefined);
  return result === 'ok' ? undefined : { reason: result, message: REFUSALS[result] };
}

/** The one terminal line: a link that works from another machine, and what a local browser needs instead. */
export function setupTokenNotice(token: string, port: number): string {
  const host = networkAddress() ?? 'localhost';
  return (
    `Baton has no owner yet: create the owner account at http://${host}:${port}/setup?token=${token} ` +
    `(from this machine, http://localhost:${port}/setup needs no token).`
  );
}

/** The first external IPv4 address, which is what another machine on the network most likely reaches us at. */
function networkAddress(): string | undefined {
  for (const addresses of Object.values(networkInterfaces()))
    for (const a of addresses ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  return undefined;
}
