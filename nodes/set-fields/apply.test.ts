import { makeRunContext } from '../testing';
import { applyFields } from './apply';
import { run } from './run';
import { spec } from './spec';

describe('set-fields', () => {
  it('merges into the input, or outputs only the fields', () => {
    expect(applyFields({ a: 1, b: 2 }, { b: 3, c: 'x' }, true)).toEqual({ a: 1, b: 3, c: 'x' });
    expect(applyFields({ a: 1 }, { c: 'x' }, false)).toEqual({ c: 'x' });
  });

  it('sets nested fields from dotted names, replacing non-objects on the way', () => {
    const input = { user: { id: 1 }, flag: 'yes' };
    expect(applyFields(input, { 'user.name': 'Ada', 'flag.on': true, 'a.b.c': [1] }, true)).toEqual({
      user: { id: 1, name: 'Ada' },
      flag: { on: true },
      a: { b: { c: [1] } },
    });
    expect(input).toEqual({ user: { id: 1 }, flag: 'yes' });
  });

  it('starts from {} when the input is not an object', () => {
    expect(applyFields([1, 2], { a: 1 }, true)).toEqual({ a: 1 });
    expect(applyFields('text', { a: 1 }, true)).toEqual({ a: 1 });
  });

  it('rejects empty segments and prototype names', () => {
    expect(() => applyFields({}, { 'a..b': 1 }, true)).toThrow('Set fields: field name "a..b" has an empty segment');
    expect(() => applyFields({}, { 'user.__proto__.admin': true }, true)).toThrow(/reserved name "__proto__"/);
    expect(({} as any).admin).toBeUndefined();
    const bad = spec.params.fields.schema.safeParse({ 'x.constructor': 1 });
    expect(!bad.success && bad.error.issues[0]).toMatchObject({
      path: ['x.constructor'],
      message: expect.stringContaining('reserved'),
    });
  });

  it('runs as an activity on resolved params', async () => {
    await expect(run(makeRunContext(), { fields: { 'a.b': 42 }, keepInput: true }, { z: 0 })).resolves.toEqual({
      z: 0,
      a: { b: 42 },
    });
  });
});
