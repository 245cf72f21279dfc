// GET /api/tokens: the caller's API tokens (never their plaintext or hash). POST { name, scopes?, expiresAt? }:
// a new token in the caller's workspace, its plaintext shown once; never with more scope than the caller's own.
import { apiHandler } from '../lib/api-route.server';
import { json, readJsonWith } from '../lib/http.server';
import { mintToken, tokenList, tokenSchema } from '../lib/account.server';

const handle = apiHandler('/api/tokens', {
  GET: async ({ caller }) => json({ tokens: await tokenList(caller) }),
  POST: async ({ request, caller, ip }) => {
    const input = await readJsonWith(request, tokenSchema);
    return json(await mintToken({ caller, ip }, input), 201);
  },
});

export const loader = handle;
export const action = handle;
