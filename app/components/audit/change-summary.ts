// One line for an audit entry's change (`role: editor → admin` style pairs), short enough for a table cell; the
// page shows the whole change as JSON on demand.
const MAX_SUMMARY = 120;

function valueText(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value))
    return value.every((v) => typeof v !== 'object') ? value.join(', ') : `${value.length} items`;
  const record = value as Record<string, unknown>;
  // A before/after pair, the common shape of an update.
  if ('from' in record && 'to' in record) return `${valueText(record.from)} → ${valueText(record.to)}`;
  return `{${Object.keys(record).join(', ')}}`;
}

export function summarizeChange(change: Record<string, unknown> | undefined): string {
  if (!change) return '';
  const text = Object.entries(change)
    .map(([key, value]) => `${key}: ${valueText(value)}`)
    .join(' · ');
  return text.length > MAX_SUMMARY ? `${text.slice(0, MAX_SUMMARY - 1)}…` : text;
}
