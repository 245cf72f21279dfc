// "Authentication: credential": the headers a credential of the run's workspace adds to the request. The values
// come from `ctx.credential` inside the activity; anything derived from them (a Basic auth header, an issued
// access token) is marked secret, so it is scrubbed from the step's output and errors like the secrets themselves.
import type { RunContext } from '../define';
import { NodeError } from '../errors';
import { requestClientCredentialsToken } from '../credentials/oauth2-client-credentials';
import { createTestContext } from '../credentials/test-context';
import { HTTP_CREDENTIAL_TYPES } from './spec';

/** Lower-case header name → value. */
export type AuthHeaders = Record<string, string>;

const str = (value: unknown) => (typeof value === 'string' ? value : '');

export async function authenticationHeaders(
  ctx: RunContext,
  params: { authentication?: 'none' | 'credential'; credential?: string },
  signal: AbortSignal,
): Promise<AuthHeaders> {
  if (params.authentication !== 'credential') return {};
  if (!ctx.credential) {
    throw new NodeError('HTTP request: credentials cannot be used where this node runs; set Authentication to None', {
      code: 'param-invalid',
      retryable: false,
    });
  }
  const { type, values, markSecret } = await ctx.credential(params.credential ?? '', HTTP_CREDENTIAL_TYPES);
  switch (type) {
    case 'http-header-auth':
      return { [str(values.name).toLowerCase()]: str(values.value) };
    case 'bearer-token':
      return { authorization: `Bearer ${str(values.token)}` };
    case 'basic-auth': {
      const encoded = Buffer.from(`${str(values.user)}:${str(values.password)}`, 'utf8').toString('base64');
      markSecret(encoded);
      return { authorization: `Basic ${encoded}` };
    }
    case 'oauth2-client-credentials': {
      const token = await requestClientCredentialsToken(
        values as Parameters<typeof requestClientCredentialsToken>[0],
        createTestContext(signal),
      ).catch((err: unknown) => {
        throw new NodeError(`HTTP request: getting an access token failed: ${(err as Error).message}`, {
          code: 'http-auth',
          retryable: true,
        });
      });
      markSecret(token.accessToken);
      return { authorization: `${token.tokenType === 'bearer' ? 'Bearer' : token.tokenType} ${token.accessToken}` };
    }
    default:
      throw new NodeError(`HTTP request: ${type} credentials cannot authenticate an HTTP request; pick another`, {
        code: 'param-invalid',
        retryable: false,
      });
  }
}
