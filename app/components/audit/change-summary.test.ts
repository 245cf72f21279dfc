// The one-line change summary in the audit table.
import { summarizeChange } from './change-summary';

test('pairs read as key: value, before/after pairs as from → to, lists joined, nested objects by their keys', () => {
  expect(
    summarizeChange({
      role: { from: 'editor', to: 'admin' },
      scopes: ['read', 'run'],
      fields: { host: 'smtp', port: 25 },
      enabled: false,
      removed: null,
    }),
  ).toBe('role: editor → admin · scopes: read, run · fields: {host, port} · enabled: false · removed: —');
});

test('a long change is cut to one table line; no change is an empty string', () => {
  const summary = summarizeChange({ note: 'x'.repeat(500) });
  expect(summary).toHaveLength(120);
  expect(summary.endsWith('…')).toBe(true);
  expect(summarizeChange(undefined)).toBe('');
  expect(summarizeChange({ items: [{ a: 1 }, { b: 2 }] })).toBe('items: 2 items');
});
