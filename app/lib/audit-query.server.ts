// The audit log's query string, read the same way by GET /api/audit and the /audit page: filters (actor, action,
// target, from/to), a page (limit, cursor), an export format, and whose entries (the workspace, or the instance).
import { z } from 'zod';
import {
  AUDIT_ACTIONS,
  decodeAuditCursor,
  instanceAuditScope,
  type AuditCursor,
  type AuditFilter,
  type AuditView,
} from '../../db/audit';
import type { Caller } from './caller.server';
import { apiError, parseWith } from './http.server';

const DAY_MS = 86_400_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A UTC day (`2025-03-01`) or an ISO date-time with an offset. */
const dayOrTime = z
  .string()
  .refine(
    (text) =>
      (DATE_ONLY.test(text) || z.string().datetime({ offset: true }).safeParse(text).success) &&
      !Number.isNaN(Date.parse(text)),
    {
      message: 'expected a date (YYYY-MM-DD, UTC) or an ISO date-time such as 2025-03-01T09:00:00Z',
    },
  );

export const auditQuerySchema = z.object({
  actor: z.string().trim().max(200).optional(),
  action: z.enum(AUDIT_ACTIONS, { message: `expected one of ${AUDIT_ACTIONS.join(', ')}` }).optional(),
  target: z.string().trim().max(200).optional(),
  from: dayOrTime.optional(),
  to: dayOrTime.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(300).optional(),
  format: z.enum(['csv', 'json']).optional(),
  view: z.enum(['workspace', 'instance']).default('workspace'),
});

export type AuditQueryInput = z.input<typeof auditQuerySchema>;

export interface AuditQuery {
  filter: AuditFilter;
  limit: number;
  after?: AuditCursor;
  format?: 'csv' | 'json';
  view: 'workspace' | 'instance';
  /** The filters as given, for links that keep them (export, next page). */
  params: Record<string, string>;
}

/** The query from a URL's search params; a 400 naming the field for anything malformed. Empty fields are unset. */
export function parseAuditQuery(search: URLSearchParams): AuditQuery {
  const given = Object.fromEntries([...search].filter(([, value]) => value.trim() !== ''));
  const query = parseWith(auditQuerySchema, given);
  const after = query.cursor === undefined ? undefined : decodeAuditCursor(query.cursor);
  if (query.cursor !== undefined && !after)
    throw apiError(
      400,
      'Invalid request: cursor: not a cursor this list handed out; drop it to start from the newest entry.',
    );
  const from = query.from ? new Date(query.from) : undefined;
  // A day given as `to` includes the whole day; a time is included itself.
  const until = query.to ? new Date(Date.parse(query.to) + (DATE_ONLY.test(query.to) ? DAY_MS : 1)) : undefined;
  if (from && until && until <= from) throw apiError(400, 'Invalid request: to: must not be before from.');
  const params = Object.fromEntries(
    (['actor', 'action', 'target', 'from', 'to'] as const)
      .filter((key) => query[key] !== undefined)
      .map((key) => [key, String(query[key])]),
  );
  if (query.view === 'instance') params.view = 'instance';
  return {
    filter: { actor: query.actor, action: query.action, target: query.target, from, until },
    limit: query.limit,
    after,
    format: query.format,
    view: query.view,
    params,
  };
}

export const INSTANCE_VIEW_REFUSAL =
  'Not allowed: the instance view (entries with no workspace, such as failed sign-ins) is for the instance owner.';

/** Whose entries the caller reads: its workspace's, or for the instance owner, those with no workspace (else 403). */
export function auditViewFor(caller: Caller, view: AuditQuery['view']): AuditView {
  if (view === 'workspace') return caller.scope;
  const instance = instanceAuditScope(caller.user);
  if (!instance) throw apiError(403, INSTANCE_VIEW_REFUSAL);
  return instance;
}
