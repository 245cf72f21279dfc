// The runs page's filters as the API and the pages take them (query parameters), checked into a RunListFilter:
// a bad value is a 400 naming the parameter. `q` searches by run id, or by tag when it reads `key=value`.
import { z } from 'zod';
import { parseTagSearch } from '../../contracts/run-tags';
import { RUN_LIST_STATUSES, RUN_PAGE_LIMITS, type RunListFilter, type RunListStatus } from '../../db/run-list';
import type { RunMode } from '../../contracts/run-record';
import { apiError, parseWith } from './http.server';

export const RUN_MODES: readonly RunMode[] = ['manual', 'webhook', 'form', 'chat', 'schedule', 'subworkflow', 'error'];

const day = /^\d{4}-\d{2}-\d{2}$/;
const instant = z
  .string()
  .refine((s) => (day.test(s) || z.string().datetime({ offset: true }).safeParse(s).success) && !isNaN(Date.parse(s)), {
    message: 'must be a date (2025-03-01) or an ISO date-time (2025-03-01T12:00:00Z)',
  });
const id = z.string().trim().min(1).max(200);

export const runListQuerySchema = z.object({
  workflowId: id.optional(),
  status: z.enum(RUN_LIST_STATUSES as [RunListStatus, ...RunListStatus[]]).optional(),
  mode: z.enum(RUN_MODES as [RunMode, ...RunMode[]]).optional(),
  startedBy: id.optional(),
  from: instant.optional(),
  to: instant.optional(),
  tag: z.string().max(300).optional(),
  runId: id.optional(),
  q: z.string().trim().max(300).optional(),
  cursor: z.string().max(500).optional(),
  before: z.string().datetime().optional(),
  limit: z.coerce.number().int().min(1).max(RUN_PAGE_LIMITS.max).default(RUN_PAGE_LIMITS.default),
});

export type RunListQuery = z.output<typeof runListQuerySchema>;

/** A date-only `to` means the end of that day (UTC). */
function toDate(text: string, end: boolean): Date {
  const date = new Date(day.test(text) ? `${text}T00:00:00Z` : text);
  return end && day.test(text) ? new Date(date.getTime() + 86_400_000) : date;
}

/** Query parameters → the list's filter, or a 400 naming the parameter. */
export function runListFilter(query: RunListQuery): RunListFilter {
  const filter: RunListFilter = {};
  if (query.workflowId) filter.workflowId = query.workflowId;
  if (query.status) filter.status = query.status;
  if (query.mode) filter.mode = query.mode;
  if (query.startedBy) filter.startedBy = query.startedBy;
  if (query.from) filter.from = toDate(query.from, false);
  if (query.to) filter.to = toDate(query.to, true);
  if (filter.from && filter.to && filter.from >= filter.to)
    throw apiError(400, 'Invalid request: from: must be before to.');
  if (query.runId) filter.runId = query.runId;
  const tagText = query.tag ?? (query.q && /[=:]/.test(query.q) ? query.q : undefined);
  if (tagText) {
    const tag = parseTagSearch(tagText);
    if ('error' in tag) throw apiError(400, `Invalid request: ${query.tag ? 'tag' : 'q'}: ${tag.error}.`);
    filter.tag = tag;
  } else if (query.q) filter.runId = query.q;
  return filter;
}

/** Parses query parameters; an empty one (a filter form's "any") counts as absent. */
export function parseRunListQuery(params: Iterable<[string, string]>): RunListQuery {
  return parseWith(runListQuerySchema, Object.fromEntries([...params].filter(([, v]) => v !== '')));
}

/** Parses the request's query parameters. */
export const runListQuery = (request: Request): RunListQuery => parseRunListQuery(new URL(request.url).searchParams);
