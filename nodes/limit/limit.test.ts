import type { ExpressionScope } from '../../ir/expression';
import { checkParams, resolveParams } from '../../ir/params';
import { makeRunContext } from '../testing';
import { limitItems } from './limit';
import { run } from './run';
import { spec } from './spec';

const scope = (input: unknown): ExpressionScope => ({
  input,
  trigger: {},
  node: () => undefined,
  run: { id: 'r', workflowId: 'w' },
});
const runLimit = async (raw: Record<string, unknown>, input: unknown) =>
  run(makeRunContext(), await resolveParams(spec, raw, scope(input)), input);

describe('limit', () => {
  const list = [1, 2, 3, 4, 5];

  it('keeps the first or last N items', () => {
    expect(limitItems(list, 2, 'first')).toEqual([1, 2]);
    expect(limitItems(list, 2, 'last')).toEqual([4, 5]);
    expect(limitItems(list, 9, 'first')).toEqual(list);
    expect(limitItems(list, 9, 'last')).toEqual(list);
    expect(limitItems(list, 0, 'first')).toEqual([]);
    expect(limitItems(list, 0, 'last')).toEqual([]);
    expect(limitItems([], 3, 'last')).toEqual([]);
  });

  it('defaults to the first 10 items of the list at "field", and takes the count from an expression', async () => {
    const input = { rows: Array.from({ length: 30 }, (_, i) => i), top: 3 };
    expect(await runLimit({ field: 'rows' }, input)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await runLimit({ field: 'rows', count: '{{ $input.top }}', from: 'last' }, input)).toEqual([27, 28, 29]);
    expect(await runLimit({ field: 'rows.5' }, input)).toEqual([5]);
    expect(await runLimit({ field: 'nothing' }, input)).toEqual([]);
  });

  it('returns a new list', async () => {
    const input = [1, 2];
    const out = (await runLimit({}, input)) as number[];
    expect(out).toEqual(input);
    expect(out).not.toBe(input);
  });

  it('rejects counts that are not whole numbers from 0 to 1,000,000', async () => {
    const message = (count: unknown) =>
      resolveParams(spec, { count }, scope([])).then(
        () => 'accepted',
        (err: Error) => err.message,
      );
    expect(await message(-1)).toBe('Param "count": Number must be greater than or equal to 0');
    expect(await message(1_000_001)).toBe('Param "count": Number must be less than or equal to 1000000');
    expect(await message(2.5)).toBe('Param "count": Expected integer, received float');
    expect(await message('ten')).toBe('Param "count": Expected number, received string');
    expect(await message(1_000_000)).toBe('accepted');
    expect(await message(0)).toBe('accepted');
  });

  it('is a pure core node with valid defaults', () => {
    expect(spec.runtime).toEqual({ kind: 'activity', taskQueue: 'default', pure: true });
    expect(checkParams(spec, {})).toEqual([]);
    for (const def of Object.values(spec.params)) expect(def.ui.placeholder).toBeTruthy();
  });
});
