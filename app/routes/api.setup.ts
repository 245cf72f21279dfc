// POST /api/setup: first-run owner creation for scripts and tests; answers with an API token with every scope in
// the owner's workspace. From another machine the body must carry `setupToken`, the one-time token Baton printed.
import type { ActionFunctionArgs } from '@remix-run/node';
import { z } from 'zod';
import { apiError, json, parseWith, readJson } from '../lib/http.server';
import { TOKEN_SCOPES } from '../../contracts/permissions';
import { createApiToken } from '../../db/api-tokens';
import { recordAudit } from '../../db/audit';
import { createOwner, SetupAlreadyDoneError } from '../../db/users';
import { migrateToWorkspaces, workspacesOf } from '../../db/workspaces';
import { ownerSchema } from '../lib/owner-schema';
import { recordFailure, retryAfterSeconds, throttledMessage, throttleKey } from '../lib/login-throttle.server';
import { setupTokenRefusal } from '../lib/setup-token.server';

const bodySchema = ownerSchema.extend({ tokenName: z.string().min(1).max(100).default('setup') });

export async function loader() {
  return apiError(
    405,
    'Use POST /api/setup with { email, name, password } to create the owner account (from another machine, add the setupToken Baton printed).',
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  // Once the owner exists every attempt fails; throttling per client keeps this from being a free probe.
  const key = throttleKey('setup', '', context.clientIp);
  const wait = retryAfterSeconds(key);
  if (wait) {
    const res = apiError(429, throttledMessage(wait));
    res.headers.set('Retry-After', String(wait));
    return res;
  }
  try {
    if (request.method !== 'POST') return apiError(405, 'Use POST /api/setup.');
    const raw = await readJson(request);
    const refused = setupTokenRefusal(context, (raw as { setupToken?: unknown } | null)?.setupToken);
    if (refused) {
      if (refused.reason === 'wrong') recordFailure(key);
      return apiError(403, refused.message);
    }
    const body = parseWith(bodySchema, raw);
    const user = await createOwner(body);
    const workspaceId = (await migrateToWorkspaces(user.id))?.workspaceId ?? (await workspacesOf(user.id))[0]!.id;
    context.setupToken.consume();
    const { token, apiToken } = await createApiToken({
      userId: user.id,
      workspaceId,
      name: body.tokenName,
      scopes: TOKEN_SCOPES,
    });
    await recordAudit({
      workspaceId,
      actor: { id: user.id, name: user.name, via: 'token' },
      action: 'token.create',
      target: { kind: 'api-token', id: apiToken.id, name: apiToken.name },
      ip: context.clientIp,
      change: { scopes: apiToken.scopes, expiresAt: apiToken.expiresAt.toISOString(), at: 'setup' },
    });
    return json({ user, token }, 201);
  } catch (err) {
    if (err instanceof Response) return err;
    if (err instanceof SetupAlreadyDoneError) {
      recordFailure(key);
      return apiError(409, err.message);
    }
    throw err;
  }
}
