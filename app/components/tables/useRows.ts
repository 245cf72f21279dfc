// One page of a table's rows from the API, reloaded when the query changes; a newer request replaces an older one
// still on its way, so a slow answer never overwrites a fresher one.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ConditionOperator, DataTableRow } from '../../../contracts/data-tables';
import { ApiError, apiFetch } from '../../lib/api-client';

export interface GridQuery {
  offset: number;
  limit: number;
  search: string;
  filter?: { column: string; operator: ConditionOperator; value: string };
}

export type RowsState =
  | { status: 'loading'; rows: DataTableRow[]; total: number }
  | { status: 'ready'; rows: DataTableRow[]; total: number }
  | { status: 'error'; rows: DataTableRow[]; total: number; message: string };

function pathOf(tableId: string, query: GridQuery): string {
  const params = new URLSearchParams({ offset: String(query.offset), limit: String(query.limit) });
  if (query.search.trim()) params.set('search', query.search.trim());
  if (query.filter?.column) {
    params.set('column', query.filter.column);
    params.set('operator', query.filter.operator);
    params.set('value', query.filter.value);
  }
  return `/api/data-tables/${tableId}/rows?${params}`;
}

export function useRows(tableId: string, query: GridQuery) {
  const [state, setState] = useState<RowsState>({ status: 'loading', rows: [], total: 0 });
  const latest = useRef(0);
  const path = pathOf(tableId, query);
  const reload = useCallback(() => {
    const ticket = ++latest.current;
    setState((s) => ({ status: 'loading', rows: s.rows, total: s.total }));
    apiFetch<{ rows: DataTableRow[]; total: number }>(path).then(
      (page) => ticket === latest.current && setState({ status: 'ready', rows: page.rows, total: page.total }),
      (err: unknown) =>
        ticket === latest.current &&
        setState((s) => ({
          status: 'error',
          rows: s.rows,
          total: s.total,
          message: err instanceof ApiError || err instanceof Error ? err.message : String(err),
        })),
    );
  }, [path]);
  useEffect(reload, [reload]);
  /** Replaces one row in place (after a cell was saved), without a reload. */
  const replaceRow = useCallback(
    (row: DataTableRow) => setState((s) => ({ ...s, rows: s.rows.map((r) => (r.id === row.id ? row : r)) })),
    [],
  );
  return { state, reload, replaceRow };
}
