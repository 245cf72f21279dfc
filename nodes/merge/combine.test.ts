import { combineInputs } from './combine';
import { spec } from './spec';

describe('merge', () => {
  it('appends inputs in edge order', () => {
    expect(combineInputs('append', [{ a: 1 }, [2], 'three'])).toEqual([{ a: 1 }, [2], 'three']);
  });

  it('combines objects shallowly, later inputs winning', () => {
    expect(combineInputs('combine', [{ a: 1, n: { x: 1 } }, null, { b: 2, n: { y: 2 } }])).toEqual({
      a: 1,
      b: 2,
      n: { y: 2 },
    });
  });

  it('keeps __proto__ keys as data when combining', () => {
    const out = combineInputs('combine', [JSON.parse('{"__proto__": {"admin": true}}')]) as any;
    expect(out.admin).toBeUndefined();
    expect(Object.keys(out)).toEqual(['__proto__']);
  });

  it('explains non-object inputs in combine mode', () => {
    expect(() => combineInputs('combine', [{ a: 1 }, [1]])).toThrow(
      'Merge (combine) expects objects, but input 2 is an array; use "append" to collect any values',
    );
  });

  it('takes the first input', () => {
    expect(combineInputs('first', ['a', 'b'])).toBe('a');
    expect(combineInputs('first', [])).toBeNull();
  });

  it('exposes combine through its runtime, with one input port for many edges', () => {
    expect(spec.runtime.kind === 'merge' && spec.runtime.combine({ mode: 'append' }, [1, 2])).toEqual([1, 2]);
    expect(spec.inputs).toEqual([{ id: 'in', label: 'Inputs' }]);
  });
});
