// JSON Schemas rewritten into the subset node-llama-cpp's grammar builder reads correctly: untyped values become
// "any JSON" (not null), anyOf becomes oneOf, type lists split, unsupported string formats are dropped, and
// zod-to-json-schema's "#/definitions/…" references keep pointing at their definitions.
import { toGrammarSchema } from './llama-schema';

test('an untyped value is any JSON, not null', () => {
  expect(toGrammarSchema({ description: 'anything' })).toEqual({
    oneOf: [
      { type: ['string', 'number', 'boolean', 'null'] },
      { type: 'object', additionalProperties: true },
      { type: 'array' },
    ],
  });
});

test('objects keep their listed properties; an object without a list is free-form', () => {
  const schema = {
    type: 'object',
    properties: { name: { type: 'string', maxLength: 5, format: 'email' }, when: { type: 'string', format: 'date' } },
    required: ['name'],
  };
  expect(toGrammarSchema(schema)).toEqual({
    type: 'object',
    properties: { name: { type: 'string', maxLength: 5 }, when: { type: 'string', format: 'date' } },
    additionalProperties: false,
  });
  expect(toGrammarSchema({ type: 'object' })).toEqual({ type: 'object', properties: {}, additionalProperties: true });
});

test('anyOf becomes oneOf and a type list with object splits into alternatives', () => {
  expect(toGrammarSchema({ anyOf: [{ type: 'integer' }, { const: 'none' }] })).toEqual({
    oneOf: [{ type: 'integer' }, { const: 'none' }],
  });
  expect(toGrammarSchema({ type: ['object', 'null'], properties: { a: { type: 'boolean' } } })).toEqual({
    oneOf: [
      { type: ['null'] },
      { type: 'object', properties: { a: { type: 'boolean' } }, additionalProperties: false },
    ],
  });
});

test('definitions move to $defs and their references follow', () => {
  const schema = {
    type: 'object',
    properties: { person: { $ref: '#/definitions/person' } },
    definitions: { person: { type: 'object', properties: { name: { type: 'string' } } } },
  };
  expect(toGrammarSchema(schema)).toEqual({
    type: 'object',
    properties: { person: { $ref: '#/$defs/person' } },
    additionalProperties: false,
    $defs: {
      person: { type: 'object', properties: { name: { type: 'string' } }, additionalProperties: false },
    },
  });
});

test('allOf parts are merged into one schema', () => {
  const schema = {
    allOf: [{ type: 'object', properties: { a: { type: 'number' } } }, { properties: { b: { enum: [1, 2] } } }],
  };
  expect(toGrammarSchema(schema)).toEqual({
    type: 'object',
    properties: { a: { type: 'number' }, b: { enum: [1, 2] } },
    additionalProperties: false,
  });
});
