// GET /api/marketplace/listings/:id/install: what the install wizard shows first (the signer's workspace, this
// workspace's installs of the listing, why a version cannot be installed). POST { version?, name?, credentials:
// { "<nodeId>.<param>": credentialId }, tables: { key: { mode: 'create', name } | { mode: 'existing', tableId } } }:
// installs the version as a draft workflow (docs/decisions/069).
import { apiHandler } from '../lib/api-route.server';
import { readJsonWith } from '../lib/http.server';
import { installBody, installResponse, preflightResponse } from '../lib/marketplace-install.server';

const handle = apiHandler('/api/marketplace/listings/:id/install', {
  GET: async ({ params, caller }) => preflightResponse(caller, params.id ?? ''),
  POST: async ({ request, params, caller, ip }) =>
    installResponse(caller, params.id ?? '', await readJsonWith(request, installBody), ip),
});

export const loader = handle;
export const action = handle;
