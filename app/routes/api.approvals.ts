// GET /api/approvals?status=pending|decided|all&cursor=&limit=: the caller's inbox in the workspace they act in.
// `pending` (the default): requests they can still decide; `decided`: addressed to them and closed or decided by
// them; `all`: every request addressed to them. Newest first, `nextCursor` for the next page, and `pendingCount`
// (their badge).
import { apiHandler } from '../lib/api-route.server';
import { parseInboxFilter } from '../lib/approval-view';
import { inboxPage } from '../lib/approvals.server';
import { apiError, json } from '../lib/http.server';

const handle = apiHandler('/api/approvals', {
  GET: async ({ request, caller }) => {
    const search = new URL(request.url).searchParams;
    const filter = parseInboxFilter(search.get('status'));
    if (!filter) return apiError(400, 'Invalid request: status: must be "pending", "decided" or "all".');
    const limitText = search.get('limit');
    const limit = limitText === null ? undefined : Number(limitText);
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= 200))
      return apiError(400, 'Invalid request: limit: must be a whole number from 1 to 200.');
    const page = await inboxPage(caller.scope, filter, { cursor: search.get('cursor') ?? undefined, limit });
    return json({ approvals: page.items, nextCursor: page.nextCursor ?? null, pendingCount: page.pendingCount });
  },
});

export const loader = handle;
export const action = handle;
