import type { ExpressionScope } from '../ir/expression';
import { resolveParams } from '../ir/params';
import type { NodeSpec } from './define';
import { spec as aggregate } from './aggregate/spec';
import { spec as filter } from './filter/spec';
import { spec as limit } from './limit/spec';
import { spec as removeDuplicates } from './remove-duplicates/spec';
import { loadRunner } from './runners';
import { spec as sort } from './sort/spec';
import { spec as splitOut } from './split-out/spec';
import { makeRunContext } from './testing';
import {
  canonicalJson,
  itemsParam,
  parsePath,
  pathListParam,
  pathParam,
  pathProblem,
  readItems,
  readPath,
  writablePathProblem,
  writePath,
} from './items';

describe('list node items', () => {
  it('reads the array at the field path, or the input itself', () => {
    const list = [{ a: 1 }, { a: 2 }];
    expect(readItems(list, '')).toBe(list);
    expect(readItems({ body: { items: list } }, 'body.items')).toBe(list);
    expect(readItems({ body: { items: list } }, '  body.items ')).toBe(list);
  });

  it('counts a single value as one item, and null or a missing field as none', () => {
    expect(readItems({ user: { id: 1 } }, 'user')).toEqual([{ id: 1 }]);
    expect(readItems('text', '')).toEqual(['text']);
    expect(readItems(0, '')).toEqual([0]);
    expect(readItems({ a: null }, 'a')).toEqual([]);
    expect(readItems({}, 'missing.deeper')).toEqual([]);
    expect(readItems(null, '')).toEqual([]);
    expect(readItems(undefined, 'a')).toEqual([]);
  });

  it('indexes lists with numeric segments or brackets', () => {
    const input = { orders: [{ lines: ['x', 'y'] }] };
    expect(parsePath('orders[0].lines[1]')).toEqual(['orders', '0', 'lines', '1']);
    expect(parsePath('[0].id')).toEqual(['0', 'id']);
    expect(readPath(input, parsePath('orders.0.lines.1'))).toBe('y');
    expect(readPath(input, parsePath('orders[0].lines[1]'))).toBe('y');
    expect(readPath(input, parsePath('orders.1'))).toBeUndefined();
    expect(readPath(input, parsePath('orders.first'))).toBeUndefined();
    expect(readPath({ '0': 'key' }, ['0'])).toBe('key');
  });

  it('reads own fields only, never the prototype or properties of strings', () => {
    expect(readPath({}, ['constructor'])).toBeUndefined();
    expect(readPath({}, ['__proto__'])).toBeUndefined();
    expect(readPath({ name: 'Ada' }, ['name', 'length'])).toBeUndefined();
    expect(readPath([1, 2], ['length'])).toBeUndefined();
    expect(readPath(JSON.parse('{"__proto__": {"x": 1}}'), ['__proto__', 'x'])).toBe(1);
  });

  it('explains paths that cannot be read', () => {
    expect(pathProblem('user..name')).toBe('"user..name" has an empty segment; write paths like "user.email"');
    expect(pathProblem('.name')).toMatch(/empty segment/);
    expect(pathProblem('{{ $input.items }}')).toBe(
      '"{{ $input.items }}" is a field path such as "user.email", not an expression: write it without {{ }}',
    );
    expect(pathProblem('$input.body.items')).toBe(
      '"$input.body.items" starts with $input, but paths are read from the input (or each item) itself: drop "$input."',
    );
    expect(pathProblem('a'.repeat(1025))).toMatch(/limited to 1024/);
    expect(pathProblem('')).toBeUndefined();
    expect(pathProblem('First Name')).toBeUndefined();
    expect(writablePathProblem('meta.__proto__')).toBe('"meta.__proto__" uses the reserved name "__proto__"');
    expect(pathProblem('meta.__proto__')).toBeUndefined();
  });

  it('validates path params, naming the problem', () => {
    const field = itemsParam();
    expect(field.default).toBe('');
    expect(field.ui).toMatchObject({ widget: 'text', expression: false, label: 'List', placeholder: 'body.items' });
    expect(field.schema.safeParse('body.items').success).toBe(true);
    const bad = field.schema.safeParse('body..items');
    expect(!bad.success && bad.error.issues[0].message).toMatch(/empty segment/);
    const list = pathListParam({ label: 'Fields', description: 'd', placeholder: 'a, b' });
    expect(list.schema.safeParse('email, address.city').success).toBe(true);
    const badList = list.schema.safeParse('email, a..b');
    expect(!badList.success && badList.error.issues[0].message).toBe(
      '"a..b" has an empty segment; write paths like "user.email"',
    );
    expect(list.schema.safeParse(Array.from({ length: 51 }, (_, i) => `f${i}`).join(',')).success).toBe(false);
    const out = pathParam({ label: 'Out', description: 'd', placeholder: 'x', writable: true });
    expect(out.schema.safeParse('a.constructor').success).toBe(false);
  });

  it('writes nested fields without touching objects shared with the input', () => {
    const shared = { id: 1 };
    const out: Record<string, unknown> = { meta: shared };
    writePath(out, ['meta', 'tag'], 'x');
    writePath(out, ['__proto__'], 'data');
    expect(out.meta).toEqual({ id: 1, tag: 'x' });
    expect(shared).toEqual({ id: 1 });
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['meta', '__proto__']);
  });

  it('writes canonical JSON whatever the key order, with missing values distinct from null', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}',
    );
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
    expect(canonicalJson([undefined, null])).toBe('[undefined,null]');
    expect(canonicalJson('18')).not.toBe(canonicalJson(18));
  });
});

describe('list nodes in a chain', () => {
  const scope = (input: unknown): ExpressionScope => ({
    input,
    trigger: {},
    node: () => undefined,
    run: { id: 'r', workflowId: 'w' },
  });
  /** What the pure chain does per node: resolve params over the input, then call the runner found by convention. */
  const step = async (spec: NodeSpec, raw: Record<string, unknown>, input: unknown) => {
    const runner = await loadRunner(spec.type, spec.version);
    return runner(makeRunContext(), await resolveParams(spec, raw, scope(input)), input);
  };

  it('splits orders into lines, filters, dedupes, sorts, limits and aggregates them', async () => {
    const webhook = {
      body: {
        orders: [
          {
            id: 'o1',
            lines: [
              { sku: 'B', qty: 2 },
              { sku: 'A', qty: 0 },
              { sku: 'C', qty: 5 },
            ],
          },
          {
            id: 'o2',
            lines: [
              { sku: 'B', qty: 2 },
              { sku: 'D', qty: 1 },
            ],
          },
        ],
        minQty: 1,
      },
    };
    const lines = await step(
      splitOut,
      { field: 'body.orders', splitField: 'lines', include: 'selected', includeFields: 'id' },
      webhook,
    );
    expect(lines).toHaveLength(5);
    const wanted = await step(filter, { conditions: [{ field: 'qty', operator: 'gte', value: 1 }] }, lines);
    const unique = await step(removeDuplicates, { compare: 'fields', fields: 'sku, qty' }, wanted);
    const sorted = await step(sort, { keys: [{ field: 'qty', order: 'desc' }] }, unique);
    const top = await step(limit, { count: 2 }, sorted);
    expect(await step(aggregate, { mode: 'fields', fields: { sku: 'skus', id: 'orders' } }, top)).toEqual({
      skus: ['C', 'B'],
      orders: ['o1', 'o1'],
    });
    expect(webhook.body.orders[0].lines).toHaveLength(3);
  });
});
