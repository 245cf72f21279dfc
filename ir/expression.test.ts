import {
  EvalBudget,
  EvalLimitError,
  ExpressionError,
  checkTemplates,
  hasExpression,
  resolveTemplates,
  type ExpressionScope,
} from './expression';

const scope = (over: Partial<ExpressionScope> = {}): ExpressionScope => ({
  input: { name: 'Ada', age: 36, tags: ['a', 'b'], nested: { ok: true } },
  trigger: { email: 'ada@example.com' },
  node: (name) => (name === 'Fetch' ? { status: 200, body: { id: 7 } } : undefined),
  run: { id: 'run-9', workflowId: 'wf-3' },
  ...over,
});

describe('resolveTemplates', () => {
  it('returns the raw value for a string that is exactly one expression', async () => {
    await expect(resolveTemplates('{{ $input.age }}', scope())).resolves.toBe(36);
    await expect(resolveTemplates('{{ $input.nested }}', scope())).resolves.toEqual({ ok: true });
    await expect(resolveTemplates('{{ $input.tags }}', scope())).resolves.toEqual(['a', 'b']);
    await expect(resolveTemplates('{{ $.name }}', scope())).resolves.toBe('Ada');
  });

  it('stringifies values inside mixed text, objects as JSON and missing values as empty', async () => {
    await expect(resolveTemplates('Hi {{ $input.name }} ({{ $input.age }})', scope())).resolves.toBe('Hi Ada (36)');
    await expect(resolveTemplates('n={{ $input.nested }}', scope())).resolves.toBe('n={"ok":true}');
    await expect(resolveTemplates('[{{ $input.missing }}]', scope())).resolves.toBe('[]');
  });

  it('binds $trigger, $run and an async $node lookup', async () => {
    const asyncNode = scope({ node: async (name) => ({ name }) });
    await expect(resolveTemplates('{{ $trigger.email }}', scope())).resolves.toBe('ada@example.com');
    await expect(resolveTemplates('{{ $run.id }}/{{ $run.workflowId }}', scope())).resolves.toBe('run-9/wf-3');
    await expect(resolveTemplates('{{ $node("Fetch").body.id }}', scope())).resolves.toBe(7);
    await expect(resolveTemplates('{{ $node("Set").name }}', asyncNode)).resolves.toBe('Set');
  });

  it('walks objects and arrays, leaving non-template values alone', async () => {
    const value = { url: 'https://x.test/{{ $input.age }}', list: [1, '{{ $input.name }}'], flag: true, none: null };
    await expect(resolveTemplates(value, scope())).resolves.toEqual({
      url: 'https://x.test/36',
      list: [1, 'Ada'],
      flag: true,
      none: null,
    });
  });

  it('returns plain JSON: no sequence flags, no prototype pollution', async () => {
    const out = (await resolveTemplates('{{ [1, 2] }}', scope())) as unknown[];
    expect(Object.keys(out)).toEqual(['0', '1']);
    const polluted = (await resolveTemplates(JSON.parse('{"__proto__": {"admin": "{{ true }}"}}'), scope())) as any;
    expect(Object.getPrototypeOf(polluted)).toBe(Object.prototype);
    expect(polluted.admin).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(polluted, '__proto__')?.value).toEqual({ admin: true });
    const fromInput = (await resolveTemplates(
      '{{ $input }}',
      scope({ input: JSON.parse('{"__proto__": {"admin": true}}') }),
    )) as any;
    expect(fromInput.admin).toBeUndefined();
    expect(({} as any).admin).toBeUndefined();
  });

  it('treats hostile strings as data', async () => {
    const input = { html: '<script>alert(1)</script>', q: '$where', 'a.b': 1 };
    await expect(resolveTemplates('{{ $input.html }}', scope({ input }))).resolves.toBe('<script>alert(1)</script>');
    await expect(resolveTemplates('{{ $input.q }}', scope({ input }))).resolves.toBe('$where');
    await expect(resolveTemplates('{{ $input.`a.b` }}', scope({ input }))).resolves.toBe(1);
    await expect(resolveTemplates('$where <script>', scope())).resolves.toBe('$where <script>');
  });

  it('reports syntax errors with the expression and the path', async () => {
    const err: any = await resolveTemplates({ headers: { Auth: 'Bearer {{ $input.( }}' } }, scope()).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ExpressionError);
    expect(err.expression).toBe('$input.(');
    expect(err.path).toEqual(['headers', 'Auth']);
    expect(err.message).toMatch(/Expression \{\{ \$input\.\( \}\} in "headers\.Auth" is invalid/);
  });

  it('reports evaluation errors and function results', async () => {
    await expect(resolveTemplates('{{ $number("abc") }}', scope())).rejects.toThrow(
      /failed: Unable to cast value to a number/,
    );
    await expect(resolveTemplates('{{ $uppercase }}', scope())).rejects.toThrow(/yields a function/);
    await expect(resolveTemplates('{{ function($x) { $x } }}', scope())).rejects.toThrow(/yields a function/);
    await expect(resolveTemplates('x {{ $input', scope())).rejects.toThrow(/Unclosed/);
  });

  it('stops runaway expressions with a step budget and caps ranges', async () => {
    const budget = new EvalBudget({ maxSteps: 50_000 });
    await expect(
      resolveTemplates('{{ ($f := function($x){ $f($x) }; $f(1)) }}', scope(), [], budget),
    ).rejects.toMatchObject({
      name: 'EvalLimitError',
      code: 'eval-limit',
      message: expect.stringMatching(/evaluation budget/),
    });
    expect(budget.steps).toBe(50_001);
    await expect(resolveTemplates('{{ $count([1..100000000]) }}', scope())).rejects.toThrow(EvalLimitError);
  });
});

describe('hasExpression', () => {
  it('finds {{ at any depth', () => {
    expect(hasExpression('plain')).toBe(false);
    expect(hasExpression({ a: [1, { b: 'x {{ 1 }}' }] })).toBe(true);
    expect(hasExpression({ a: [1, { b: 'x' }] })).toBe(false);
    expect(hasExpression(42)).toBe(false);
  });
});

describe('checkTemplates', () => {
  it('locates syntax errors without evaluating', () => {
    expect(checkTemplates({ ok: '{{ $input.a }}', bad: ['{{ 1 + }}'] })).toEqual([
      { path: ['bad', 0], message: expect.stringMatching(/is invalid/) },
    ]);
  });

  it('names the field of a template that does not parse (found by ir/fuzz.test.ts)', () => {
    expect(checkTemplates([{ compare: '{{ $' }], ['rules'])).toEqual([
      {
        path: ['rules', 0, 'compare'],
        message: 'Param "rules[0].compare": Unclosed "{{" at character 1; add the closing "}}"',
      },
    ]);
  });
});
