import type { ExpressionScope } from '../../ir/expression';
import { checkParams, resolveParams } from '../../ir/params';
import type { NodeError } from '../errors';
import { makeRunContext } from '../testing';
import { removeDuplicates } from './dedupe';
import { run } from './run';
import { spec } from './spec';

const scope = (input: unknown): ExpressionScope => ({
  input,
  trigger: {},
  node: () => undefined,
  run: { id: 'r', workflowId: 'w' },
});
const runDedupe = async (raw: Record<string, unknown>, input: unknown) =>
  run(makeRunContext(), await resolveParams(spec, raw, scope(input)), input);

describe('remove duplicates', () => {
  it('compares whole items whatever their key order', async () => {
    const items = [{ a: 1, b: { x: 1, y: 2 } }, { b: { y: 2, x: 1 }, a: 1 }, { a: 1, b: { x: 1 } }, { a: 1 }];
    expect(await runDedupe({}, items)).toEqual([items[0], items[2], items[3]]);
  });

  it('compares values exactly, lists in order, and any JSON item', () => {
    const items = [18, '18', 18, null, null, [1, 2], [2, 1], [1, 2], 'x', { a: null }, {}];
    expect(removeDuplicates(items, 'item', '', 'first')).toEqual([
      18,
      '18',
      null,
      [1, 2],
      [2, 1],
      'x',
      { a: null },
      {},
    ]);
  });

  it('compares chosen fields, keeping the first or the last occurrence in its place', async () => {
    const users = [
      { id: 1, email: 'a@x.test', city: 'Oslo' },
      { id: 2, email: 'b@x.test', city: 'Oslo' },
      { id: 3, email: 'a@x.test', city: 'Rome' },
      { id: 4, email: 'a@x.test', city: 'Oslo' },
    ];
    const ids = (out: unknown) => (out as typeof users).map((u) => u.id);
    const input = { body: { users } };
    expect(ids(await runDedupe({ field: 'body.users', compare: 'fields', fields: 'email' }, input))).toEqual([1, 2]);
    expect(
      ids(await runDedupe({ field: 'body.users', compare: 'fields', fields: 'email', keep: 'last' }, input)),
    ).toEqual([2, 4]);
    expect(ids(await runDedupe({ field: 'body.users', compare: 'fields', fields: ' email , city ' }, input))).toEqual([
      1, 2, 3,
    ]);
    expect(ids(await runDedupe({ field: 'body.users', keep: 'last' }, input))).toEqual([1, 2, 3, 4]);
  });

  it('tells a missing field from null, and reads nested paths', () => {
    const items = [{ a: { b: 1 } }, { a: { b: 1, c: 2 } }, { a: {} }, { a: { b: null } }, { a: null }];
    expect(removeDuplicates(items, 'fields', 'a.b', 'first')).toEqual([items[0], items[2], items[3]]);
  });

  it('explains an empty field list when comparing fields', async () => {
    const err = await runDedupe({ compare: 'fields', fields: ' , ' }, [1]).catch((e: NodeError) => e);
    expect(err).toMatchObject({
      code: 'param-invalid',
      retryable: false,
      message:
        'Remove duplicates: no "Fields to compare" are set: name the fields, such as "email", or compare whole items',
    });
    await expect(runDedupe({ compare: 'fields', fields: 'a..b' }, [1])).rejects.toThrow(
      'Param "fields": "a..b" has an empty segment; write paths like "user.email"',
    );
    await expect(runDedupe({ compare: 'whole' }, [1])).rejects.toThrow(/^Param "compare": Invalid enum value/);
  });

  it('handles empty and single-value input', async () => {
    expect(await runDedupe({}, [])).toEqual([]);
    expect(await runDedupe({}, null)).toEqual([]);
    expect(await runDedupe({}, { a: 1 })).toEqual([{ a: 1 }]);
  });

  it('keeps one of each of 1,000 distinct items among 100,000', () => {
    const items = Array.from({ length: 100_000 }, (_, i) => ({ id: i % 1000, n: { deep: [i % 1000] } }));
    expect(removeDuplicates(items, 'item', '', 'first')).toHaveLength(1000);
    expect(removeDuplicates(items, 'fields', 'id', 'last')).toEqual(items.slice(99_000));
  });

  it('is a pure core node with valid defaults', () => {
    expect(spec.runtime).toEqual({ kind: 'activity', taskQueue: 'default', pure: true });
    expect(checkParams(spec, {})).toEqual([]);
    expect(spec.params.fields.ui.showWhen).toEqual({ param: 'compare', oneOf: ['fields'] });
    for (const def of Object.values(spec.params)) expect(def.ui.placeholder).toBeTruthy();
  });
});
