// n8n's JavaScript expressions → Baton's JSONata templates: the common data references are rewritten, the rest
// is kept and reported.
import { translateExpression, translateString, translateValue, type ExpressionNote } from './expressions';

describe('translateExpression', () => {
  it.each([
    ['$json.email', '$input.email'],
    ['$json["first name"]', '$input.`first name`'],
    ["$json['a']['b']", '$input.`a`.`b`'],
    ['$node["Edit Fields"].json.email', '$node("Edit Fields").email'],
    ["$('Edit Fields').item.json.email", '$node("Edit Fields").email'],
    ["$('Get user').first().json.id", '$node("Get user").id'],
    ['$input.item.json.total * 2', '$input.total * 2'],
    ['$input.first().json.total', '$input.total'],
  ])('rewrites %s as %s', (source, expected) => {
    expect(translateExpression(source)).toEqual({ expression: expected, clean: true });
  });

  it.each([
    '$json.name.toUpperCase()',
    "$('Items').all().length",
    '$now.toISO()',
    '$json.a === 1 ? "yes" : "no"',
    'JSON.stringify($json)',
    '$json.tags.map(t => t.name)',
    '$execution.id',
  ])('keeps %s as written inside the template and flags it', (source) => {
    expect(translateExpression(source).clean).toBe(false);
  });
});

describe('translateString', () => {
  it('leaves literal strings alone, {{ }} included: n8n evaluates only "=" strings', () => {
    const notes: ExpressionNote[] = [];
    expect(translateString('Hello {{ there }}', 'text', notes)).toBe('Hello {{ there }}');
    expect(notes).toEqual([]);
  });

  it('translates each {{ }} of a "=" string and records the ones to check with their field', () => {
    const notes: ExpressionNote[] = [];
    expect(translateString('=Hi {{ $json.first }} {{ $json.last.trim() }}', 'subject', notes)).toBe(
      'Hi {{ $input.first }} {{ $input.last.trim() }}',
    );
    expect(notes).toEqual([{ field: 'subject', expression: '$json.last.trim()' }]);
  });

  it('a "=" string without {{ }} is the literal after the "="', () => {
    expect(translateString('=plain', 'x', [])).toBe('plain');
  });
});

test('translateValue walks objects and arrays and names nested fields', () => {
  const notes: ExpressionNote[] = [];
  const out = translateValue({ a: ['={{ $json.x }}', '={{ $now }}'], n: 3 }, 'body', notes);
  expect(out).toEqual({ a: ['{{ $input.x }}', '{{ $now }}'], n: 3 });
  expect(notes).toEqual([{ field: 'body.a[1]', expression: '$now' }]);
});
