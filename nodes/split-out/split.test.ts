import type { ExpressionScope } from '../../ir/expression';
import { checkParams, resolveParams } from '../../ir/params';
import type { NodeError } from '../errors';
import { makeRunContext } from '../testing';
import { run } from './run';
import { MAX_SPLIT_ITEMS, splitOut } from './split';
import { spec } from './spec';

const scope = (input: unknown): ExpressionScope => ({
  input,
  trigger: {},
  node: () => undefined,
  run: { id: 'r', workflowId: 'w' },
});
const runSplit = async (raw: Record<string, unknown>, input: unknown) =>
  run(makeRunContext(), await resolveParams(spec, raw, scope(input)), input);

const order = {
  orderId: 7,
  customer: { email: 'a@x.test', name: 'Ada' },
  lines: [{ sku: 'A', qty: 1 }, { sku: 'B', qty: 2, orderId: 'line-own' }, 'gift'],
};

describe('split out', () => {
  it('turns a list field into items', async () => {
    expect(await runSplit({ splitField: 'lines' }, order)).toEqual(order.lines);
    expect(await runSplit({ splitField: 'tags' }, { tags: ['a', 'b'] })).toEqual(['a', 'b']);
  });

  it('merges each element with all other fields of its item, the element winning', async () => {
    expect(await runSplit({ splitField: 'lines', include: 'all' }, order)).toEqual([
      { orderId: 7, customer: order.customer, sku: 'A', qty: 1 },
      { orderId: 'line-own', customer: order.customer, sku: 'B', qty: 2 },
      { orderId: 7, customer: order.customer, lines: 'gift' },
    ]);
    expect(order.lines).toHaveLength(3);
  });

  it('carries selected fields, nested ones as nested', async () => {
    const out = await runSplit(
      { splitField: 'lines', include: 'selected', includeFields: 'orderId, customer.email, missing' },
      order,
    );
    expect(out).toEqual([
      { orderId: 7, customer: { email: 'a@x.test' }, sku: 'A', qty: 1 },
      { orderId: 'line-own', customer: { email: 'a@x.test' }, sku: 'B', qty: 2 },
      { orderId: 7, customer: { email: 'a@x.test' }, lines: 'gift' },
    ]);
  });

  it('puts every element under the destination field when one is set', async () => {
    expect(await runSplit({ splitField: 'lines', destination: 'line' }, order)).toEqual([
      { line: { sku: 'A', qty: 1 } },
      { line: { sku: 'B', qty: 2, orderId: 'line-own' } },
      { line: 'gift' },
    ]);
    const nested = await runSplit({ splitField: 'lines', include: 'all', destination: 'customer.line' }, order);
    expect((nested as any[])[2]).toEqual({ orderId: 7, customer: { email: 'a@x.test', name: 'Ada', line: 'gift' } });
    expect(order.customer).toEqual({ email: 'a@x.test', name: 'Ada' });
  });

  it('splits the list field of every item in the list at "field", leaving out nested split fields', async () => {
    const input = {
      body: {
        orders: [
          { id: 1, detail: { lines: [1, 2], note: 'n' } },
          { id: 2, detail: { lines: null } },
          { id: 3, detail: { lines: 3 } },
          { id: 4 },
          'not an object',
        ],
      },
    };
    expect(await runSplit({ field: 'body.orders', splitField: 'detail.lines', include: 'all' }, input)).toEqual([
      { id: 1, detail: { note: 'n' }, lines: 1 },
      { id: 1, detail: { note: 'n' }, lines: 2 },
      { id: 3, detail: {}, lines: 3 },
    ]);
    expect(input.body.orders[0]).toEqual({ id: 1, detail: { lines: [1, 2], note: 'n' } });
  });

  it('keeps __proto__ keys of elements as data', () => {
    const items = [{ list: [JSON.parse('{"__proto__": {"admin": true}, "a": 1}')] }];
    const [out] = splitOut(items, { splitField: 'list', include: 'all', includeFields: '', destination: '' }) as any[];
    expect(out.admin).toBeUndefined();
    expect(Object.keys(out)).toEqual(['__proto__', 'a']);
  });

  it(`fails with a clear error past ${MAX_SPLIT_ITEMS.toLocaleString('en')} items`, async () => {
    const input = [{ list: new Array(60_000).fill(0) }, { list: new Array(40_000).fill(0) }];
    expect(await runSplit({ splitField: 'list' }, input)).toHaveLength(100_000);
    input.push({ list: [1] });
    const err = await runSplit({ splitField: 'list' }, input).catch((e: NodeError) => e);
    expect(err).toMatchObject({
      code: 'items-limit',
      retryable: false,
      message:
        'Split out: "list" holds 100,001 elements across 3 item(s); Split out produces at most 100,000 items. ' +
        'Filter or limit the input first, or split it in parts with a loop',
    });
  });

  it('rejects a missing split field, bad paths and empty selections', async () => {
    await expect(runSplit({}, order)).rejects.toThrow('Param "splitField": is required');
    await expect(runSplit({ splitField: '{{ $input.lines }}' }, order)).rejects.toThrow(
      'Param "splitField": "{{ $input.lines }}" is a field path such as "user.email", not an expression',
    );
    await expect(runSplit({ splitField: 'lines', destination: 'x.__proto__' }, order)).rejects.toThrow(
      'Param "destination": "x.__proto__" uses the reserved name "__proto__"',
    );
    await expect(
      runSplit({ splitField: 'lines', include: 'selected', includeFields: 'id, a.constructor' }, order),
    ).rejects.toThrow('Param "includeFields": "a.constructor" uses the reserved name "constructor"');
    await expect(runSplit({ splitField: 'lines', include: 'selected' }, order)).rejects.toThrow(
      'Split out: no "Fields to include" are set',
    );
  });

  it('is a pure core node whose only required param is the split field', () => {
    expect(spec.runtime).toEqual({ kind: 'activity', taskQueue: 'default', pure: true });
    expect(checkParams(spec, {})).toEqual([expect.objectContaining({ code: 'param-required', path: ['splitField'] })]);
    expect(checkParams(spec, { splitField: 'lines' })).toEqual([]);
    for (const def of Object.values(spec.params)) expect(def.ui.placeholder).toBeTruthy();
  });
});
