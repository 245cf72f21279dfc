import type { ExpressionScope } from '../../ir/expression';
import { checkParams, resolveParams } from '../../ir/params';
import { makeRunContext } from '../testing';
import { isoDateMs, sortItems } from './order';
import { run } from './run';
import { spec } from './spec';

const scope = (input: unknown): ExpressionScope => ({
  input,
  trigger: {},
  node: () => undefined,
  run: { id: 'r', workflowId: 'w' },
});
const runSort = async (raw: Record<string, unknown>, input: unknown) =>
  run(makeRunContext(), await resolveParams(spec, raw, scope(input)), input);
const byValue = (items: unknown[], order: 'asc' | 'desc' = 'asc', ignoreCase = false) =>
  sortItems(items, [{ field: '', order }], ignoreCase);

describe('sort', () => {
  it('sorts numbers by value, numeric text too, in either direction', () => {
    expect(byValue([10, 9, 100, -1.5, 0])).toEqual([-1.5, 0, 9, 10, 100]);
    expect(byValue(['10', '9', 2, ' 1e3 ', '-3'])).toEqual(['-3', 2, '9', '10', ' 1e3 ']);
    expect(byValue([10, 9, 100], 'desc')).toEqual([100, 10, 9]);
  });

  it('sorts text with a fixed collation, optionally ignoring case', () => {
    expect(byValue(['b', 'A', 'a', 'B', 'é', 'f', 'e'])).toEqual(['a', 'A', 'b', 'B', 'e', 'é', 'f']);
    expect(byValue(['b', 'A', 'a', 'B'], 'asc', true)).toEqual(['A', 'a', 'b', 'B']);
    expect(byValue(['b', 'a', 'B', 'A'], 'desc', true)).toEqual(['b', 'B', 'a', 'A']);
  });

  it('sorts ISO dates by time, reading times without an offset as UTC', () => {
    const dates = ['2024-05-01T09:00:00Z', '2024-05-01T10:00:00+02:00', '2024-05-01', '2024-04-30 23:59'];
    expect(byValue(dates)).toEqual([
      '2024-04-30 23:59',
      '2024-05-01',
      '2024-05-01T10:00:00+02:00',
      '2024-05-01T09:00:00Z',
    ]);
    expect(isoDateMs('2024-05-01T10:00')).toBe(Date.UTC(2024, 4, 1, 10));
    expect(isoDateMs('2024-05-01T10:00:00.250+0130')).toBe(Date.UTC(2024, 4, 1, 8, 30, 0, 250));
    expect(isoDateMs('2024-13-01')).toBeUndefined();
    expect(isoDateMs('May 1, 2024')).toBeUndefined();
  });

  it('puts missing, null and empty values last in both directions, keeping their order', () => {
    const rows = [{ id: 'a', p: 2 }, { id: 'b' }, { id: 'c', p: null }, { id: 'd', p: '' }, { id: 'e', p: 1 }];
    const ids = (items: unknown[]) => (items as Array<{ id: string }>).map((r) => r.id).join('');
    expect(ids(sortItems(rows, [{ field: 'p' }], false))).toBe('eabcd');
    expect(ids(sortItems(rows, [{ field: 'p', order: 'desc' }], false))).toBe('aebcd');
  });

  it('orders mixed kinds: numbers, dates, text, booleans, then objects and lists', () => {
    const mixed = [{ b: 1 }, true, 'text', '2024-01-01', 5, [1], false, { a: 1 }];
    expect(byValue(mixed)).toEqual([5, '2024-01-01', 'text', false, true, [1], { a: 1 }, { b: 1 }]);
  });

  it('applies keys in turn and is stable', async () => {
    const staff = [
      { name: 'Ada', dept: 'ops', pay: 5 },
      { name: 'Bob', dept: 'eng', pay: 5 },
      { name: 'Cy', dept: 'ops', pay: 7 },
      { name: 'Di', dept: 'eng', pay: 9 },
      { name: 'Ed', dept: 'eng', pay: 5 },
    ];
    const input = { body: { staff } };
    const keys = [{ field: 'dept' }, { field: 'pay', order: 'desc' }];
    const out = (await runSort({ field: 'body.staff', keys }, input)) as typeof staff;
    expect(out.map((s) => s.name)).toEqual(['Di', 'Bob', 'Ed', 'Cy', 'Ada']);
    expect(input.body.staff[0].name).toBe('Ada');
  });

  it('sorts nested fields and list positions', async () => {
    const rows = [{ user: { tags: ['z'] } }, { user: { tags: ['a'] } }, { user: {} }];
    expect(await runSort({ keys: [{ field: 'user.tags[0]' }] }, rows)).toEqual([rows[1], rows[0], rows[2]]);
  });

  it('treats a single value as one item and nothing as none', async () => {
    expect(await runSort({ field: 'one' }, { one: { a: 1 } })).toEqual([{ a: 1 }]);
    expect(await runSort({ field: 'none' }, {})).toEqual([]);
  });

  it('rejects malformed keys, naming the field', async () => {
    const message = (keys: unknown) =>
      resolveParams(spec, { keys }, scope([])).then(
        () => 'accepted',
        (err: Error) => err.message,
      );
    expect(await message('price')).toMatch(/^Param "keys": must be a list of sort keys such as \[\{ "field": "price"/);
    expect(await message([])).toMatch(/^Param "keys": needs at least one key/);
    expect(await message([{ field: 'price', order: 'descending' }])).toBe(
      'Param "keys[0].order": must be "asc" or "desc"',
    );
    expect(await message([{ order: 'asc' }])).toMatch(/^Param "keys\[0\]\.field": is missing/);
    expect(await message(['price'])).toMatch(/^Param "keys\[0\]": must be a sort key such as/);
    expect(await message(Array.from({ length: 21 }, () => ({ field: 'a' })))).toMatch(/limit is 20/);
  });

  it('is a pure core node with valid defaults', () => {
    expect(spec.runtime).toEqual({ kind: 'activity', taskQueue: 'default', pure: true });
    expect(checkParams(spec, {})).toEqual([]);
    for (const def of Object.values(spec.params)) expect(def.ui.placeholder).toBeTruthy();
  });
});
