// node-llama-cpp turns a subset of JSON Schema into a grammar, and reads the rest in ways that break output: a schema
// without `type` becomes `null`, `anyOf` is unknown, a string `format` other than date/time throws. This rewrites
// a JSON Schema into that subset with the same meaning where it can, and a looser one where it cannot (the caller
// still validates the parsed value against the original schema).
import type { JsonSchema } from '../../../contracts/ai';

const GRAMMAR_FORMATS = new Set(['date-time', 'date', 'time']);
const SCALAR_TYPES = ['string', 'number', 'integer', 'boolean', 'null'];

/** Any JSON value, spelled in the grammar's subset. */
const ANY_VALUE: JsonSchema = {
  oneOf: [
    { type: ['string', 'number', 'boolean', 'null'] },
    { type: 'object', additionalProperties: true },
    { type: 'array' },
  ],
};

/** `schema` in the subset node-llama-cpp's createGrammarForJsonSchema understands. */
export function toGrammarSchema(schema: JsonSchema): JsonSchema {
  const { definitions, $defs, ...root } = schema;
  const defs = { ...asRecord(definitions), ...asRecord($defs) };
  const rewritten = rewrite(root);
  if (Object.keys(defs).length === 0) return rewritten;
  return { ...rewritten, $defs: Object.fromEntries(Object.entries(defs).map(([k, v]) => [k, rewrite(asRecord(v))])) };
}

function rewrite(schema: JsonSchema): JsonSchema {
  if (typeof schema.$ref === 'string') return { $ref: schema.$ref.replace('#/definitions/', '#/$defs/') };
  if ('const' in schema) return { const: schema.const };
  if (Array.isArray(schema.enum)) return { enum: schema.enum };
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (Array.isArray(alternatives)) return { oneOf: alternatives.map((alt) => rewrite(asRecord(alt))) };
  if (Array.isArray(schema.allOf)) return rewrite(mergeAll(schema, schema.allOf.map(asRecord)));

  const type = schema.type ?? (schema.properties ? 'object' : schema.items ? 'array' : undefined);
  if (type === undefined) return ANY_VALUE;
  if (Array.isArray(type)) {
    const scalars = type.filter((t) => SCALAR_TYPES.includes(t));
    const structured = type.filter((t) => !SCALAR_TYPES.includes(t)).map((t) => rewrite({ ...schema, type: t }));
    if (structured.length === 0) return { type: scalars };
    return { oneOf: [...(scalars.length ? [{ type: scalars }] : []), ...structured] };
  }
  if (type === 'object') return rewriteObject(schema);
  if (type === 'array') return rewriteArray(schema);
  if (type === 'string') {
    const { minLength, maxLength, format } = schema;
    if (typeof format === 'string' && GRAMMAR_FORMATS.has(format)) return { type, format };
    return dropUndefined({ type, minLength, maxLength });
  }
  return { type };
}

function rewriteObject(schema: JsonSchema): JsonSchema {
  const properties = asRecord(schema.properties);
  const extra = schema.additionalProperties;
  return dropUndefined({
    type: 'object',
    properties: Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, rewrite(asRecord(v))])),
    // An object that lists no properties is free-form; one that lists them gets exactly those (the grammar writes
    // every listed property, which any schema that allows extras still accepts).
    additionalProperties:
      extra && typeof extra === 'object' ? rewrite(asRecord(extra)) : schema.properties ? extra === true : true,
    minProperties: schema.minProperties,
    maxProperties: schema.maxProperties,
  });
}

function rewriteArray(schema: JsonSchema): JsonSchema {
  return dropUndefined({
    type: 'array',
    items: schema.items && typeof schema.items === 'object' ? rewrite(asRecord(schema.items)) : undefined,
    prefixItems: Array.isArray(schema.prefixItems) ? schema.prefixItems.map((s) => rewrite(asRecord(s))) : undefined,
    minItems: schema.minItems,
    maxItems: schema.maxItems,
  });
}

/** allOf as one schema: properties joined, other keywords from the last part that has them. */
function mergeAll(schema: JsonSchema, parts: JsonSchema[]): JsonSchema {
  const { allOf: _allOf, ...base } = schema;
  return [base, ...parts].reduce<JsonSchema>((merged, part) => {
    const joined = { ...merged, ...part };
    if (merged.properties || part.properties) {
      joined.properties = { ...asRecord(merged.properties), ...asRecord(part.properties) };
    }
    return joined;
  }, {});
}

function asRecord(value: unknown): JsonSchema {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as JsonSchema) : {};
}

function dropUndefined(schema: JsonSchema): JsonSchema {
  return Object.fromEntries(Object.entries(schema).filter(([, v]) => v !== undefined));
}
