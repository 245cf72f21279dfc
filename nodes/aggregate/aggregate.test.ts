import type { ExpressionScope } from '../../ir/expression';
import { checkParams, resolveParams } from '../../ir/params';
import type { NodeError } from '../errors';
import { makeRunContext } from '../testing';
import { collectFields } from './aggregate';
import { run } from './run';
import { spec } from './spec';

const scope = (input: unknown): ExpressionScope => ({
  input,
  trigger: {},
  node: () => undefined,
  run: { id: 'r', workflowId: 'w' },
});
const runAggregate = async (raw: Record<string, unknown>, input: unknown) =>
  run(makeRunContext(), await resolveParams(spec, raw, scope(input)), input);

const users = [
  { id: 1, user: { email: 'a@x.test' }, tags: ['x'] },
  { id: 2, user: { email: null } },
  { id: 3, user: {} },
  { id: 4, user: { email: 'd@x.test' }, tags: [] },
];

describe('aggregate', () => {
  it('collects every item into one list field', async () => {
    expect(await runAggregate({}, users)).toEqual({ items: users });
    expect(await runAggregate({ field: 'rows', outputField: 'data.rows' }, { rows: [1, 2] })).toEqual({
      data: { rows: [1, 2] },
    });
    expect(await runAggregate({}, null)).toEqual({ items: [] });
    expect(await runAggregate({}, 'one')).toEqual({ items: ['one'] });
  });

  it('collects the values of chosen fields, named by the path or a rename, skipping missing and null', async () => {
    const out = await runAggregate({ mode: 'fields', fields: { 'user.email': '', id: 'ids', tags: '' } }, users);
    expect(out).toEqual({ email: ['a@x.test', 'd@x.test'], ids: [1, 2, 3, 4], tags: [['x'], []] });
  });

  it('keeps missing and null values as null when asked, so lists line up with the items', async () => {
    const out = await runAggregate({ mode: 'fields', fields: { 'user.email': '' }, skipEmpty: false }, users);
    expect(out).toEqual({ email: ['a@x.test', null, null, 'd@x.test'] });
  });

  it('nests dotted output names and keeps __proto__ data keys out of the prototype', () => {
    const items = [JSON.parse('{"__proto__": {"admin": true}}')];
    const out = collectFields(items, JSON.parse('{"__proto__": "found.raw"}'), true) as any;
    expect(out).toEqual({ found: { raw: [{ admin: true }] } });
    expect(({} as any).admin).toBeUndefined();
  });

  it('rejects clashing or reserved output names and empty paths, naming the field', async () => {
    const message = (fields: Record<string, string>) =>
      resolveParams(spec, { mode: 'fields', fields }, scope([])).then(
        () => 'accepted',
        (err: Error) => err.message,
      );
    expect(await message({ 'user.id': '', 'order.id': '' })).toBe(
      'Param "fields.order.id": goes to output field "id", which clashes with "id" from "user.id"; rename one',
    );
    expect(await message({ a: 'out', b: 'out.b' })).toMatch(
      /^Param "fields\.b": goes to output field "out\.b", which clashes/,
    );
    expect(await message({ 'user.id': '', 'order.id': 'orderIds' })).toBe('accepted');
    expect(await message({ a: 'x.constructor' })).toBe(
      'Param "fields.a": "x.constructor" uses the reserved name "constructor"',
    );
    expect(await message({ ' ': 'x' })).toBe('Param "fields. ": needs a field path, such as "user.email"');
    expect(await message({ 'a..b': '' })).toMatch(/empty segment/);
    const err = await runAggregate({ mode: 'fields' }, users).catch((e: NodeError) => e);
    expect(err).toMatchObject({
      code: 'param-invalid',
      message:
        'Aggregate: no "Fields to collect" are set: add a field path such as "user.email", or collect whole items',
    });
    await expect(runAggregate({ outputField: '' }, users)).rejects.toThrow('Param "outputField": is required');
    await expect(runAggregate({ outputField: '__proto__' }, users)).rejects.toThrow(/reserved name "__proto__"/);
  });

  it('is a pure core node with valid defaults', () => {
    expect(spec.runtime).toEqual({ kind: 'activity', taskQueue: 'default', pure: true });
    expect(checkParams(spec, {})).toEqual([]);
    expect(checkParams(spec, { mode: 'fields', fields: { email: '' } })).toEqual([]);
    for (const def of Object.values(spec.params)) expect(def.ui.placeholder).toBeTruthy();
  });
});
