import { evaluateCondition } from './condition';
import { spec } from './spec';

const route = (left: unknown, operator: string, right?: unknown) =>
  spec.runtime.kind === 'branch' ? spec.runtime.route({ left, operator, right }, {}) : 'n/a';

describe('if conditions', () => {
  it.each([
    [18, 'equals', '18', true],
    ['a', 'equals', 'a', true],
    [{ a: [1] }, 'equals', { a: [1] }, true],
    ['18', 'equals', '18.0', false],
    [1, 'notEquals', 2, true],
    [20, 'gt', '18', true],
    ['20', 'gte', 20, true],
    [5, 'lt', 10, true],
    ['b', 'lte', 'a', false],
    ['abc', 'gt', 1, false],
    ['hello world', 'contains', 'world', true],
    [['a', 'b'], 'contains', 'b', true],
    [{ k: 1 }, 'contains', 'k', true],
    ['abc', 'notContains', 'z', true],
    ['', 'isEmpty', undefined, true],
    [[], 'isEmpty', undefined, true],
    [{}, 'isEmpty', undefined, true],
    [0, 'isEmpty', undefined, false],
    [undefined, 'isNotEmpty', undefined, false],
    [true, 'isTrue', undefined, true],
    ['true', 'isTrue', undefined, true],
    [false, 'isFalse', undefined, true],
    ['ada@example.com', 'matchesRegex', '^[^@]+@example\\.com$', true],
  ])('%j %s %j → %s', (left, op, right, expected) => {
    expect(evaluateCondition(left, op as any, right)).toBe(expected);
  });

  it('routes to the true or false port', () => {
    expect(route(2, 'gt', 1)).toBe('true');
    expect(route(0, 'gt', 1)).toBe('false');
  });

  it('refuses regexes that could backtrack catastrophically or are too long', () => {
    expect(() => evaluateCondition('aaaa', 'matchesRegex', '(a+)+$')).toThrow(/nests quantifiers/);
    expect(() => evaluateCondition('aaaa', 'matchesRegex', '(\\w*)*')).toThrow(/nests quantifiers/);
    expect(() => evaluateCondition('a', 'matchesRegex', 'a'.repeat(300))).toThrow(/limit is 256/);
    expect(() => evaluateCondition('a'.repeat(20_000), 'matchesRegex', 'a')).toThrow(/limited to 10000/);
    expect(() => evaluateCondition('a', 'matchesRegex', '(')).toThrow(/invalid regex/);
    expect(() => evaluateCondition('a', 'matchesRegex', '')).toThrow(/needs a pattern/);
  });
});
