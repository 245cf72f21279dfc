import { resolveParams } from '../../ir/params';
import { makeRunContext } from '../testing';
import { MAX_ITEMS, compareDatasets, type CompareOptions } from './compare';
import { run } from './run';
import { spec } from './spec';

const compare = (a: unknown, b: unknown, over: Partial<CompareOptions> = {}) =>
  compareDatasets({ a, b, keyFields: 'id', keyFieldsB: '', skipFields: '', loose: false, ...over });

describe('compare-datasets', () => {
  it('sorts items into in both, only in A, only in B and different', () => {
    const a = [
      { id: 1, name: 'Ada' },
      { id: 2, name: 'Grace' },
      { id: 3, name: 'Edsger' },
    ];
    const b = [
      { id: 3, name: 'Edsger' },
      { id: 2, name: 'Grace H.' },
      { id: 4, name: 'Barbara' },
    ];
    expect(compare(a, b)).toEqual({
      inBoth: [{ id: 3, name: 'Edsger' }],
      onlyInA: [{ id: 1, name: 'Ada' }],
      onlyInB: [{ id: 4, name: 'Barbara' }],
      different: [{ key: { id: 2 }, a: { id: 2, name: 'Grace' }, b: { id: 2, name: 'Grace H.' }, fields: ['name'] }],
    });
  });

  it('compares nested fields by path, ignoring key order, and lists every differing path', () => {
    const a = [{ id: 1, address: { city: 'Paris', zip: '75001' }, tags: ['a', 'b'], extra: 1 }];
    const b = [{ tags: ['b', 'a'], address: { zip: '75001', city: 'Lyon' }, id: 1, more: 2 }];
    expect(compare(a, b).different[0].fields).toEqual(['address.city', 'tags', 'extra', 'more']);
    expect(compare([{ id: 1, o: { x: 1, y: 2 } }], [{ o: { y: 2, x: 1 }, id: 1 }]).inBoth).toHaveLength(1);
  });

  it('skips the listed fields when comparing', () => {
    const a = [{ id: 1, name: 'Ada', updatedAt: 1, meta: { etag: 'x', v: 1 } }];
    const b = [{ id: 1, name: 'Ada', updatedAt: 2, meta: { etag: 'y', v: 1 } }];
    expect(compare(a, b, { skipFields: 'updatedAt, meta.etag' }).inBoth).toEqual(a);
    expect(compare(a, b, { skipFields: 'updatedAt' }).different[0].fields).toEqual(['meta.etag']);
    // A parent that only held skipped fields is skipped with them.
    expect(compare([{ id: 1, meta: { etag: 'x' } }], [{ id: 1 }], { skipFields: 'meta.etag' }).inBoth).toHaveLength(1);
  });

  it('matches on composite and nested keys, and on keys named differently in B', () => {
    const a = [{ org: { id: 'x' }, email: 'a@x', role: 'admin' }];
    const b = [
      { orgId: 'x', mail: 'a@x', role: 'user' },
      { orgId: 'y', mail: 'a@x', role: 'admin' },
    ];
    const out = compare(a, b, { keyFields: 'org.id, email', keyFieldsB: 'orgId, mail' });
    expect(out.different).toEqual([{ key: { 'org.id': 'x', email: 'a@x' }, a: a[0], b: b[0], fields: ['role'] }]);
    expect(out.onlyInB).toEqual([b[1]]);
    const lines = [{ lines: [{ sku: 'A1' }], qty: 1 }];
    expect(compare(lines, [{ lines: [{ sku: 'A1' }], qty: 2 }], { keyFields: 'lines[0].sku' }).different).toEqual([
      { key: { 'lines[0].sku': 'A1' }, a: lines[0], b: { lines: [{ sku: 'A1' }], qty: 2 }, fields: ['qty'] },
    ]);
    expect(() => compare(a, b, { keyFields: 'org.id, email', keyFieldsB: 'orgId' })).toThrow(
      'Compare datasets: Key fields names 2 field(s) but Key fields in B names 1; name as many',
    );
  });

  it('matches types strictly unless loose types are on, in keys and in values', () => {
    const a = [{ id: 1, active: true, score: 10 }];
    const b = [{ id: '1', active: 'TRUE', score: '10.0' }];
    expect(compare(a, b)).toMatchObject({ onlyInA: a, onlyInB: b, inBoth: [], different: [] });
    expect(compare(a, b, { loose: true })).toMatchObject({ inBoth: a, onlyInA: [], onlyInB: [] });
    const c = [{ id: '1', active: 'yes', score: '' }];
    expect(compare(a, c, { loose: true }).different[0].fields).toEqual(['active', 'score']);
  });

  it('pairs duplicate keys in order and never matches items missing a key', () => {
    const a = [{ id: 1, n: 'a1' }, { id: 1, n: 'a2' }, { id: 1, n: 'a3' }, { n: 'no key' }];
    const b = [{ id: 1, n: 'a1' }, { id: 1, n: 'b2' }, { n: 'no key' }];
    const out = compare(a, b);
    expect(out.inBoth).toEqual([{ id: 1, n: 'a1' }]);
    expect(out.different.map((d) => [d.a, d.b])).toEqual([
      [
        { id: 1, n: 'a2' },
        { id: 1, n: 'b2' },
      ],
    ]);
    expect(out.onlyInA).toEqual([{ id: 1, n: 'a3' }, { n: 'no key' }]);
    expect(out.onlyInB).toEqual([{ n: 'no key' }]);
    expect(compare([{ id: null }], [{ id: null }]).inBoth).toHaveLength(1);
  });

  it('compares whole items when no key fields are given', () => {
    expect(compare(['a', 'b', 'c', 1], ['c', 'd', '1'], { keyFields: '' })).toEqual({
      inBoth: ['c'],
      onlyInA: ['a', 'b', 1],
      onlyInB: ['d', '1'],
      different: [],
    });
    expect(compare([1, 'b'], ['1'], { keyFields: '', loose: true }).inBoth).toEqual([1]);
  });

  it('takes one value as a list of one and null as an empty list, and copies what it outputs', () => {
    const a = { id: 1, tags: ['x'] };
    const out = compare(a, null);
    expect(out).toEqual({ inBoth: [], onlyInA: [a], onlyInB: [], different: [] });
    expect(out.onlyInA[0]).not.toBe(a);
    expect(compare(undefined, [])).toEqual({ inBoth: [], onlyInA: [], onlyInB: [], different: [] });
  });

  it('handles 100,000 items a list sharing 10 keys, and refuses more', () => {
    const many = Array.from({ length: MAX_ITEMS }, (_, i) => ({ id: i % 10, v: i }));
    const started = process.hrtime.bigint();
    const out = compare(many, many);
    expect(out.inBoth).toHaveLength(MAX_ITEMS);
    // Far inside the 60 s activity timeout, on a loaded 2-core machine (about 1 s when measured).
    expect(Number(process.hrtime.bigint() - started) / 1e9).toBeLessThan(20);
    expect(() => compare([...many, { id: 0 }], [])).toThrow(
      'Compare datasets: Dataset A has 100001 items; the limit is 100000. Compare smaller batches',
    );
  });

  it('rejects bad field lists in the schema and at run time', () => {
    const problem = (text: string) => {
      const parsed = spec.params.skipFields.schema.safeParse(text);
      return parsed.success ? undefined : parsed.error.issues[0].message;
    };
    expect(problem('a, b.c ,')).toBeUndefined();
    expect(problem('a, b..c')).toBe('"b..c" has an empty segment; write paths like "user.email"');
    expect(problem('{{ $input.id }}')).toMatch(/is a field path such as "user.email", not an expression/);
    expect(() => compare([], [], { keyFields: 'id, .x' })).toThrow(
      'Compare datasets: in Key fields, ".x" has an empty segment',
    );
  });

  it('reads both lists from earlier nodes through $node and runs as a pure activity', async () => {
    expect(spec.runtime).toEqual({ kind: 'activity', taskQueue: 'default', pure: true });
    const outputs: Record<string, unknown> = { Old: [{ id: 1, v: 1 }], New: [{ id: 1, v: 2 }] };
    const scope = { input: {}, trigger: {}, node: (name: string) => outputs[name], run: { id: 'r', workflowId: 'w' } };
    const params = await resolveParams(spec, { a: '{{ $node("Old") }}', b: '{{ $node("New") }}' }, scope);
    expect(params).toEqual({
      a: outputs.Old,
      b: outputs.New,
      keyFields: 'id',
      keyFieldsB: '',
      skipFields: '',
      loose: false,
    });
    await expect(run(makeRunContext(), params, {})).resolves.toEqual({
      inBoth: [],
      onlyInA: [],
      onlyInB: [],
      different: [{ key: { id: 1 }, a: { id: 1, v: 1 }, b: { id: 1, v: 2 }, fields: ['v'] }],
    });
  });
});
