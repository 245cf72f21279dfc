import type { ExpressionScope } from '../../ir/expression';
import { checkParams, resolveParams } from '../../ir/params';
import type { NodeError } from '../errors';
import { makeRunContext } from '../testing';
import { filterItems } from './filter';
import { run } from './run';
import { spec } from './spec';

const scope = (input: unknown): ExpressionScope => ({
  input,
  trigger: {},
  node: () => undefined,
  run: { id: 'r', workflowId: 'w' },
});
const runFilter = async (raw: Record<string, unknown>, input: unknown) =>
  run(makeRunContext(), await resolveParams(spec, raw, scope(input)), input);
const failure = (raw: Record<string, unknown>, input: unknown = []) =>
  runFilter(raw, input).then(
    () => {
      throw new Error('the filter succeeded');
    },
    (err: NodeError) => err,
  );

const people = [
  { name: 'Ada', age: 36, status: 'active', tags: ['admin'] },
  { name: 'Bob', age: '17', status: 'inactive', tags: [] },
  { name: 'Cy', age: 52, status: 'active' },
  { name: 'Di', status: 'active', tags: ['ops', 'admin'] },
];
const names = (items: unknown) => (items as Array<{ name: string }>).map((p) => p.name);

describe('filter', () => {
  it('keeps the items that match all conditions, comparing like the If node', async () => {
    const conditions = [
      { field: 'status', operator: 'equals', value: 'active' },
      { field: 'age', operator: 'gte', value: '18' },
    ];
    expect(names(await runFilter({ conditions }, people))).toEqual(['Ada', 'Cy']);
    expect(names(await runFilter({ conditions, mode: 'discard' }, people))).toEqual(['Bob', 'Di']);
  });

  it('keeps the items that match any condition', async () => {
    const conditions = [
      { field: 'tags', operator: 'contains', value: 'ops' },
      { field: 'age', operator: 'lt', value: 18 },
    ];
    expect(names(await runFilter({ conditions, combine: 'any' }, people))).toEqual(['Bob', 'Di']);
  });

  it('reads the list at "field" and tests nested fields, or the item itself with ""', async () => {
    const input = { body: { rows: [{ user: { email: 'a@x.test' } }, { user: {} }, 'stray'] } };
    const conditions = [{ field: 'user.email', operator: 'isNotEmpty' }];
    expect(await runFilter({ field: 'body.rows', conditions }, input)).toEqual([{ user: { email: 'a@x.test' } }]);
    expect(await runFilter({}, [0, '', null, 'x', [], {}, false])).toEqual([0, 'x', false]);
  });

  it('resolves condition values once over the input', async () => {
    const input = { minAge: 40, people };
    const conditions = [{ field: 'age', operator: 'gt', value: '{{ $input.minAge }}' }];
    expect(names(await runFilter({ field: 'people', conditions }, input))).toEqual(['Cy']);
  });

  it('matches regexes on RE2 and reports a bad pattern as a param', async () => {
    const conditions = [{ field: 'name', operator: 'matchesRegex', value: '^[A-C]' }];
    expect(names(await runFilter({ conditions }, people))).toEqual(['Ada', 'Bob', 'Cy']);
    const bad = await failure({ conditions: [{ field: 'name', operator: 'matchesRegex', value: '(a)\\1' }] });
    expect(bad).toMatchObject({ code: 'param-invalid' });
    expect(bad.message).toMatch(/^Param "conditions\[0\]\.value": the regex \/\(a\)\\1\/ is not valid RE2 syntax/);
    const issues = checkParams(spec, { conditions: [{ field: 'a', operator: 'matchesRegex', value: '' }] });
    expect(issues).toEqual([
      expect.objectContaining({
        path: ['conditions', 0, 'value'],
        message: expect.stringContaining('needs a pattern'),
      }),
    ]);
  });

  it('names the condition and the item when matching fails on a value', async () => {
    const items = [{ text: 'short' }, { text: 'a'.repeat(20_000) }];
    const err = await failure({ conditions: [{ field: 'text', operator: 'matchesRegex', value: 'a+' }] }, items);
    expect(err).toMatchObject({ code: 'eval-limit', retryable: false });
    expect(err.message).toBe(
      'Filter: conditions[0] ("text" matchesRegex) failed on the item at index 1: the value to match is 20000 ' +
        'characters; regex matching is limited to 10000. Match a shorter field, or use a Code node',
    );
  });

  it('rejects malformed conditions, naming the field', async () => {
    const message = async (conditions: unknown) => (await failure({ conditions })).message;
    expect(await message({ field: 'a', operator: 'equals', value: 1 })).toMatch(
      /^Param "conditions": must be a list of conditions such as \[\{ "field": "status"/,
    );
    expect(await message([])).toMatch(/^Param "conditions": needs at least one condition/);
    expect(await message(['status'])).toMatch(/^Param "conditions\[0\]": must be a condition such as/);
    expect(await message([{ field: 'a', operator: 'eq', value: 1 }])).toMatch(
      /^Param "conditions\[0\]\.operator": must be one of equals, notEquals, gt/,
    );
    expect(await message([{ field: 'a', operator: 'equals' }])).toBe(
      'Param "conditions[0].value": "equals" needs a value',
    );
    expect(await message([{ feild: 'a', operator: 'isTrue' }])).toBe(
      'Param "conditions[0].field": is missing: give a field path such as "user.email" ("" for the item itself)',
    );
    expect(await message([{ field: 'a', operator: 'isTrue', vlaue: 1 }])).toBe(
      'Param "conditions[0]": Unrecognized key(s) in object: \'vlaue\'',
    );
    expect(await message([{ field: 'a..b', operator: 'isTrue' }])).toBe(
      'Param "conditions[0].field": "a..b" has an empty segment; write paths like "user.email"',
    );
    expect(await message([{ field: 3, operator: 'isTrue' }])).toBe(
      'Param "conditions[0].field": must be a field path in quotes, such as "user.email"',
    );
    expect(await message(Array.from({ length: 51 }, () => ({ field: '', operator: 'isTrue' })))).toMatch(/limit is 50/);
    expect((await failure({ field: 'a..b' })).message).toMatch(/^Param "field": "a\.\.b" has an empty segment/);
  });

  it('outputs a new list and leaves the input as it was', () => {
    const input = [{ a: 1 }, { a: 2 }];
    const out = filterItems(input, [{ field: 'a', operator: 'gt', value: 1 }], 'all', 'keep');
    expect(out).toEqual([{ a: 2 }]);
    expect(input).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('is a pure core node with valid defaults', () => {
    expect(spec.runtime).toEqual({ kind: 'activity', taskQueue: 'default', pure: true });
    for (const def of Object.values(spec.params)) {
      expect(def.ui.placeholder).toBeTruthy();
      if (def.default !== undefined) expect(def.schema.safeParse(def.default).success).toBe(true);
    }
    expect(checkParams(spec, {})).toEqual([]);
  });
});
