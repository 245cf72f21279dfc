// GET /api/audit: the workspace's audit log, newest first, filtered by actor, action, target and from/to, one page
// at a time (`cursor` from the previous page's `next`); `format=csv|json` downloads every matching entry instead.
// `view=instance` lists the entries with no workspace (failed sign-ins) for the instance owner. Read-only: the
// log is append-only from the app, so this route answers GET alone.
import { recordAudit, streamAudit, listAudit } from '../../db/audit';
import { apiHandler } from '../lib/api-route.server';
import { auditEntryJson, auditExportResponse } from '../lib/audit-export.server';
import { auditViewFor, parseAuditQuery } from '../lib/audit-query.server';
import { json } from '../lib/http.server';

const handle = apiHandler('/api/audit', {
  GET: async ({ request, caller, ip }) => {
    const query = parseAuditQuery(new URL(request.url).searchParams);
    const view = auditViewFor(caller, query.view);
    if (query.format) {
      const owner = query.view === 'instance' ? 'instance' : caller.scope.workspaceId;
      const stem = `baton-audit-${owner}-${new Date().toISOString().slice(0, 10)}`;
      // Who took a copy of the trail, and of which part, is itself on the trail.
      await recordAudit({
        workspaceId: caller.scope.workspaceId,
        actor: { id: caller.user.id, name: caller.user.name, via: caller.via },
        action: 'audit.export',
        ip,
        change: { format: query.format, view: query.view ?? 'workspace', filter: query.filter },
      });
      return auditExportResponse(streamAudit(view, query.filter), query.format, stem);
    }
    const page = await listAudit(view, query.filter, { limit: query.limit, after: query.after });
    return json({ entries: page.entries.map(auditEntryJson), ...(page.next ? { next: page.next } : {}) });
  },
});

export const loader = handle;
export const action = handle;
