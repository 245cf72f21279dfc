import jsonata from 'jsonata';
import { spec as setFields } from '../nodes/set-fields/spec';
import {
  DEFAULT_EVAL_LIMITS,
  EvalBudget,
  EvalLimitError,
  checkTemplates,
  evaluateBounded,
  resolveTemplates,
  type ExpressionScope,
} from './expression';
import { resolveParams } from './params';

const scope = (input: unknown = {}): ExpressionScope => ({
  input,
  trigger: {},
  node: () => undefined,
  run: { id: 'run-1', workflowId: 'wf-1' },
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the evaluation to fail');
    },
    (err: unknown) => err as EvalLimitError,
  );

describe('evaluation limits', () => {
  it('fails $pad with a huge width before allocating, as eval-limit naming the field', async () => {
    const err = await failure(resolveTemplates({ banner: '{{ $pad("", 1e9) }}' }, scope()));
    expect(err).toBeInstanceOf(EvalLimitError);
    expect(err).toMatchObject({ code: 'eval-limit', retryable: false, path: ['banner'] });
    expect(err.message).toBe(
      `Expression {{ $pad("", 1e9) }} in "banner" builds a padded string larger than the limit of ` +
        `${DEFAULT_EVAL_LIMITS.maxResultChars} characters (1000000000 or more); ` +
        'filter the data first, or process it in a Code node',
    );
  });

  it('fails deep recursion and endless loops with eval-limit', async () => {
    const deep = await failure(
      evaluateBounded('($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(100000))', scope()),
    );
    expect(deep).toMatchObject({ code: 'eval-limit', message: expect.stringMatching(/nests calls too deeply/) });

    // A tail call does not deepen the stack: only the step budget stops it.
    const loop = await failure(evaluateBounded('($f := function($x){ $f($x) }; $f(1))', scope(), { maxSteps: 20_000 }));
    expect(loop).toMatchObject({ code: 'eval-limit' });
    expect(loop.message).toMatch(/exceeded the evaluation budget of 20000 steps/);
  });

  it('bounds values that grow exponentially in a few steps', async () => {
    const doubling = await failure(
      evaluateBounded('$reduce([1..40], function($acc, $i){ $acc & $acc }, "x")', scope()),
    );
    expect(doubling).toMatchObject({ code: 'eval-limit' });
    // The same object twice at every level: 2^60 leaves as JSON, built in 60 iterations; measuring must not walk them.
    const shared = await failure(
      evaluateBounded('$reduce([1..60], function($a, $i){ {"l": $a, "r": $a} }, 1).**', scope()),
    );
    expect(shared.message).toMatch(/builds a value larger than the limit/);
    const joined = await failure(
      evaluateBounded('$join(["ab", "cd", "ef"], $pad("", 400, "-"))', scope(), { maxResultChars: 500 }),
    );
    expect(joined.message).toMatch(/builds a joined string larger than the limit of 500 characters/);
  });

  it('fails a value nested deeper than 1000 levels before $string recurses into it', async () => {
    const err = await failure(
      evaluateBounded('$string($reduce([1..20000], function($a, $i){ {"a": $a} }, {}))', scope()),
    );
    expect(err).toMatchObject({ code: 'eval-limit', message: expect.stringMatching(/nested deeper than 1000 levels/) });
    await expect(
      evaluateBounded('$length($string($reduce([1..900], function($a, $i){ {"a": $a} }, {})))', scope()),
    ).resolves.toMatchObject({ value: 900 * 6 + 2 });
  });

  it('caps ranges and sequences', async () => {
    await expect(evaluateBounded('[1..1e9]', scope())).rejects.toMatchObject({ code: 'eval-limit' });
    await expect(evaluateBounded('$count([1..2000000])', scope())).rejects.toMatchObject({ code: 'eval-limit' });
    await expect(evaluateBounded('$count([1..1000])', scope())).resolves.toMatchObject({ value: 1000 });
  });

  it('runs $distinct in linear time on user data', async () => {
    const ids = Array.from({ length: 100_000 }, (_, i) => i % 50_000);
    await expect(evaluateBounded('$count($distinct($input.ids))', scope({ ids }))).resolves.toMatchObject({
      value: 50_000,
    });
  });

  it('matches JSONata regexes on RE2, in linear time', async () => {
    const subject = `${'a'.repeat(5000)}b`;
    const { value, steps } = await evaluateBounded('$contains($input.s, /^(a|aa)+$/)', scope({ s: subject }));
    expect(value).toBe(false);
    expect(steps).toBeLessThan(DEFAULT_EVAL_LIMITS.maxSteps);
    expect(checkTemplates({ check: '{{ $match($input.s, /(a)\\1/) }}' })).toEqual([
      { path: ['check'], message: expect.stringMatching(/is invalid: regex \/\(a\)\\1\/ is not valid RE2 syntax/) },
    ]);
  });

  it('shares one budget across all of a node’s params and names the param that ran out', async () => {
    const busy = '$count($map([1..2000], function($v){ $v }))';
    const { steps } = await evaluateBounded(busy, scope());
    const maxSteps = Math.floor(2.5 * steps); // room for two of the three fields
    const field = `{{ ${busy} }}`;
    const err = await failure(
      resolveParams(setFields, { fields: { a: field, b: field, c: field } }, scope(), new EvalBudget({ maxSteps })),
    );
    expect(err).toMatchObject({ code: 'eval-limit', path: ['fields', 'c'] });
    expect(err.message).toMatch(
      /^Param "fields\.c": Expression \{\{ .* \}\} in "fields\.c" exceeded the evaluation budget/,
    );
  });

  it('counts the same steps every time it evaluates the same expression', async () => {
    const expr = '$sum($map($input.items, function($v){ $v.price * $v.qty }))';
    const input = { items: Array.from({ length: 200 }, (_, i) => ({ price: i, qty: 2 })) };
    const first = await evaluateBounded(expr, scope(input));
    const second = await evaluateBounded(expr, scope(input));
    expect(first).toEqual({ value: 39_800, steps: second.steps });
    expect(first.steps).toBeGreaterThan(200);

    const shared = new EvalBudget();
    await evaluateBounded(expr, scope(input), { budget: shared });
    await evaluateBounded(expr, scope(input), { budget: shared });
    expect(shared.steps).toBe(2 * first.steps);
  });
});

describe('bounded built-ins', () => {
  const input = {
    name: 'Ada',
    people: [
      { name: 'Ada', age: 36, tags: ['x'] },
      { name: 'Alan', age: 0.1 + 0.2, tags: [] },
    ],
    text: 'ab12cd345 ef6',
  };

  it.each([
    '$pad("ab", 5, "xy")',
    '$pad("ab", -5)',
    '$pad("abcdef", 3)',
    '$pad("ab", 6, "😀")',
    '$pad("😀", 3, "-")',
    '$join(["a", "b", "c"])',
    '$join($input.people.name, ", ")',
    '$string($input.people)',
    '$string($input.people, true)',
    '$string(1/3)',
    '$string([1, {"f": function(){1}}])',
    '$string("already")',
    '$distinct([1, "1", {"a": 1, "b": 2}, {"b": 2, "a": 1}, [1], [1], null, null, true])',
    '$distinct($input.people.tags)',
    '$distinct([["a,b"], ["a", "b"], ["a", "b"], "1", 1])',
    '$match($input.text, /([a-z]+)(\\d+)?/)',
    '$replace($input.text, /(\\d+)/, "<$1>")',
    '$split($input.text, /\\d+/, 2)',
    '$contains($input.text, /CD/i)',
    '$input.people[$contains(name, /^A.a/)].name',
  ])('%s gives what JSONata’s own gives', async (expr) => {
    const expected = JSON.parse(JSON.stringify((await jsonata(expr).evaluate(input, { input })) ?? null));
    const { value } = await evaluateBounded(expr, scope(input));
    expect(value ?? null).toEqual(expected);
  });
});
