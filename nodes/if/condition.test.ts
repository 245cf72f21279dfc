import type { NodeError } from '../errors';
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

  it('matches regexes on RE2, in linear time even for patterns that backtrack catastrophically elsewhere', () => {
    const subject = `${'a'.repeat(5000)}b`;
    const started = Date.now();
    expect(evaluateCondition(subject, 'matchesRegex', '^(a|aa)+$')).toBe(false); // a backtracking engine: 2^5000 paths
    expect(Date.now() - started).toBeLessThan(10_000); // a backtracking engine would not finish at all
    expect(evaluateCondition(subject, 'matchesRegex', '(a+)+b$')).toBe(true);
    expect(evaluateCondition('2024-05-01', 'matchesRegex', '^(?<year>\\d{4})-\\d{2}')).toBe(true);
  });

  it('explains patterns RE2 cannot run, naming the field', () => {
    const fail = (pattern: string) => {
      try {
        evaluateCondition('aa', 'matchesRegex', pattern);
      } catch (err) {
        return err as NodeError;
      }
      throw new Error(`/${pattern}/ was accepted`);
    };
    expect(fail('(a)\\1')).toMatchObject({ code: 'param-invalid', retryable: false });
    expect(fail('(a)\\1').message).toBe(
      'If: the regex /(a)\\1/ in "Compare with" (right) is not valid RE2 syntax (invalid escape sequence: `\\1`). ' +
        'Matching uses RE2, which has no backreferences or lookaround; see https://github.com/google/re2/wiki/Syntax',
    );
    expect(fail('foo(?=bar)').message).toMatch(/not valid RE2 syntax \(invalid or unsupported Perl syntax/);
    expect(fail('(').message).toMatch(/not valid RE2 syntax \(missing closing \)/);
    expect(fail('[a-z]{1000}[0-9]{1000}').message).toMatch(/compiles to \d+ instructions; the limit is 1000/);
    expect(fail('').message).toMatch(/needs a pattern in "Compare with"/);
    expect(fail('a'.repeat(300)).message).toMatch(/limit is 256/);
  });

  it('fails with eval-limit on a subject longer than regex matching allows', () => {
    let err: NodeError | undefined;
    try {
      evaluateCondition('a'.repeat(20_000), 'matchesRegex', 'a');
    } catch (e) {
      err = e as NodeError;
    }
    expect(err).toMatchObject({
      code: 'eval-limit',
      retryable: false,
      message: expect.stringMatching(/limited to 10000/),
    });
  });
});
