// Editable key/value rows for `keyValue` params (headers, fields to set). Rows live locally so that a
// half-typed or duplicate key does not lose data; the store gets the object they describe.
import { useState } from 'react';

interface Row {
  id: number;
  key: string;
  value: string;
}

let nextRowId = 1;
const toRows = (value: unknown): Row[] =>
  Object.entries((value && typeof value === 'object' ? value : {}) as Record<string, unknown>).map(([key, v]) => ({
    id: nextRowId++,
    key,
    value: String(v ?? ''),
  }));

export function KeyValueEditor({
  id,
  label,
  value,
  onChange,
  readOnly,
}: {
  id: string;
  label: string;
  value: unknown;
  onChange(v: Record<string, string>): void;
  readOnly?: boolean;
}) {
  const [rows, setRows] = useState<Row[]>(() => toRows(value));
  const update = (next: Row[]) => {
    setRows(next);
    const obj: Record<string, string> = {};
    for (const row of next) if (row.key.trim()) obj[row.key] = row.value;
    onChange(obj);
  };
  const dup = new Set(rows.map((r) => r.key).filter((k, i, all) => k && all.indexOf(k) !== i));

  return (
    <div className="kv" id={id} role="group" aria-label={label}>
      {rows.map((row, i) => (
        <div className="kv-row" key={row.id}>
          <input
            className={`input${dup.has(row.key) ? ' invalid' : ''}`}
            placeholder="Name"
            aria-label={`${label} name ${i + 1}`}
            value={row.key}
            readOnly={readOnly}
            onChange={(e) => update(rows.map((r) => (r.id === row.id ? { ...r, key: e.target.value } : r)))}
          />
          <input
            className="input"
            placeholder="Value"
            aria-label={`${label} value ${i + 1}`}
            value={row.value}
            readOnly={readOnly}
            onChange={(e) => update(rows.map((r) => (r.id === row.id ? { ...r, value: e.target.value } : r)))}
          />
          {!readOnly && (
            <button
              className="btn ghost icon small"
              type="button"
              aria-label={`Remove ${row.key || 'row'}`}
              onClick={() => update(rows.filter((r) => r.id !== row.id))}
            >
              ×
            </button>
          )}
        </div>
      ))}
      {dup.size > 0 && (
        <span className="error-text">Duplicate name: only the last row with the same name is kept.</span>
      )}
      {!readOnly && (
        <button
          className="btn small"
          type="button"
          onClick={() => setRows([...rows, { id: nextRowId++, key: '', value: '' }])}
        >
          + Add {rows.length ? 'another' : 'a'} field
        </button>
      )}
    </div>
  );
}
