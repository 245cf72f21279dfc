// Pagination for the HTTP request node: follow an API's pages and output their items as one list. Four ways an
// API says where the next page is, as n8n's and Windmill's users meet them: a next-page URL in the body, the `Link`
// header's rel="next", a cursor in the body sent back as a query parameter, or an offset counted by the node.
// Pure: the runner (run.ts) sends each page's request; this decides the next one and gathers the items.
import { NodeError } from '../errors';

export const PAGINATION_MODES = ['none', 'next-url', 'link-header', 'cursor', 'offset'] as const;
export type PaginationMode = (typeof PAGINATION_MODES)[number];

export interface PaginationParams {
  pagination?: PaginationMode;
  /** Dot path in the body to each page's list of items (`data`, `results.items`); empty: the whole body. */
  itemsPath?: string;
  /** next-url: dot path in the body to the next page's URL (`next`, `paging.next`). */
  nextUrlPath?: string;
  /** cursor: dot path in the body to the next cursor; cursorParam: the query parameter that sends it. */
  cursorPath?: string;
  cursorParam?: string;
  /** offset: the query parameters of the offset and the page size, and the page size. */
  offsetParam?: string;
  limitParam?: string;
  pageSize?: number;
  maxPages?: number;
}

export const DEFAULT_MAX_PAGES = 100;
const PATH = /^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/;

/** The value at a dot path (`a.b.0.c`), or undefined. */
export function valueAt(value: unknown, path: string): unknown {
  let at = value;
  for (const key of path.split('.')) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

const paramError = (message: string) =>
  new NodeError(`HTTP request: ${message}`, { code: 'param-invalid', retryable: false });

/** Checks the pagination params once, before the first request, naming the field at fault. */
export function checkPagination(p: PaginationParams): void {
  const mode = p.pagination ?? 'none';
  if (mode === 'none') return;
  const path = (field: string, value: string | undefined, required: boolean) => {
    if (!value) {
      if (required) throw paramError(`${field} is required for this pagination`);
      return;
    }
    if (!PATH.test(value)) throw paramError(`${field} must be a dot path like "data" or "paging.next", not "${value}"`);
  };
  path('Items path', p.itemsPath, false);
  if (mode === 'next-url') path('Next URL path', p.nextUrlPath, true);
  if (mode === 'cursor') {
    path('Cursor path', p.cursorPath, true);
    if (!p.cursorParam) throw paramError('Cursor parameter is required for cursor pagination');
  }
  if (mode === 'offset') {
    if (!p.offsetParam) throw paramError('Offset parameter is required for offset pagination');
    if (!p.pageSize || p.pageSize < 1) throw paramError('Page size must be a whole number of at least 1');
  }
}

/** One page as the runner read it. */
export interface Page {
  url: URL;
  body: unknown;
  /** The `Link` header, if any. */
  link?: string;
}

/** The items of one page: the list at the items path, or the body itself (a list's entries, or the one value). */
export function itemsOf(page: Page, p: PaginationParams, pageNumber: number): unknown[] {
  const at = p.itemsPath ? valueAt(page.body, p.itemsPath) : page.body;
  if (Array.isArray(at)) return at;
  if (p.itemsPath) {
    if (at === undefined || at === null) return [];
    throw new NodeError(
      `HTTP request: page ${pageNumber} has no list at Items path "${p.itemsPath}" (found ${typeof at}); fix Items path`,
      { code: 'param-invalid', retryable: false },
    );
  }
  return [at];
}

/** The URL of the first page: offset pagination sets its offset and size parameters. */
export function firstPageUrl(url: URL, p: PaginationParams): URL {
  if (p.pagination !== 'offset') return url;
  const first = new URL(url);
  first.searchParams.set(p.offsetParam!, first.searchParams.get(p.offsetParam!) ?? '0');
  if (p.limitParam) first.searchParams.set(p.limitParam, String(p.pageSize));
  return first;
}

/** `<https://api/x?page=2>; rel="next", <…>; rel="last"` → the next URL. */
function nextFromLink(link: string | undefined): string | undefined {
  for (const part of (link ?? '').split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (m && /(^|;)\s*rel\s*=\s*"?([^";]*\s)?next(\s[^";]*)?"?\s*(;|$)/i.test(m[2])) return m[1];
  }
  return undefined;
}

/**
 * The URL of the page after `page`, or undefined when it was the last. A next URL is resolved against the page's,
 * and must stay on the first request's origin when the request carries credentials (they would go along).
 */
export function nextPageUrl(
  page: Page,
  items: unknown[],
  p: PaginationParams,
  opts: { origin: string; credentials: boolean },
): URL | undefined {
  let next: URL | undefined;
  switch (p.pagination) {
    case 'next-url':
    case 'link-header': {
      const raw = p.pagination === 'next-url' ? valueAt(page.body, p.nextUrlPath!) : nextFromLink(page.link);
      if (raw === undefined || raw === null || raw === '') return undefined;
      if (typeof raw !== 'string' || !URL.canParse(raw, page.url))
        throw new NodeError(`HTTP request: the next page's URL ${JSON.stringify(raw).slice(0, 200)} is not a URL`, {
          code: 'http-pagination',
          retryable: false,
        });
      next = new URL(raw, page.url);
      break;
    }
    case 'cursor': {
      const cursor = valueAt(page.body, p.cursorPath!);
      if (cursor === undefined || cursor === null || cursor === '' || cursor === false) return undefined;
      next = new URL(page.url);
      next.searchParams.set(p.cursorParam!, String(cursor));
      break;
    }
    case 'offset': {
      if (items.length < p.pageSize!) return undefined;
      next = new URL(page.url);
      const offset = Number(next.searchParams.get(p.offsetParam!) ?? '0');
      next.searchParams.set(p.offsetParam!, String((Number.isFinite(offset) ? offset : 0) + items.length));
      break;
    }
    default:
      return undefined;
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:')
    throw new NodeError(`HTTP request: the next page's URL is not http(s): ${next.protocol}`, {
      code: 'http-pagination',
      retryable: false,
    });
  if (opts.credentials && next.origin !== opts.origin)
    throw new NodeError(
      `HTTP request: the next page is on ${next.origin}, not ${opts.origin}; the credential is only sent to the first ` +
        'request’s origin, so pagination stops here',
      { code: 'http-pagination', retryable: false },
    );
  return next;
}

/** The pagination params of a node that does not paginate (tests, and callers building params by hand). */
export const NO_PAGINATION = {
  pagination: 'none',
  itemsPath: '',
  nextUrlPath: '',
  cursorPath: '',
  cursorParam: '',
  offsetParam: '',
  limitParam: '',
  pageSize: 100,
  maxPages: DEFAULT_MAX_PAGES,
} satisfies Required<PaginationParams>;
