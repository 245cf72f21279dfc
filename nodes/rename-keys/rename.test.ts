import { resolveParams } from '../../ir/params';
import { makeRunContext } from '../testing';
import { renameKeys } from './rename';
import { run } from './run';
import { spec } from './spec';

const keep = (renames: Record<string, string>, extra = {}) => ({ renames, keepUnlisted: true, ...extra });
const only = (renames: Record<string, string>, extra = {}) => ({ renames, keepUnlisted: false, ...extra });
const scope = { input: {}, trigger: {}, node: () => undefined, run: { id: 'r', workflowId: 'w' } };

describe('rename-keys', () => {
  it('renames top-level fields and keeps the others, without touching the input', () => {
    const input = { first_name: 'Ada', last_name: 'Lovelace', id: 1 };
    expect(renameKeys(input, keep({ first_name: 'firstName', last_name: 'lastName' }))).toEqual({
      id: 1,
      firstName: 'Ada',
      lastName: 'Lovelace',
    });
    expect(input).toEqual({ first_name: 'Ada', last_name: 'Lovelace', id: 1 });
  });

  it('moves nested fields by dotted path, leaving emptied parents as {}', () => {
    const input = { user: { name: 'Ada', id: 7 }, meta: { tag: 'x' } };
    expect(renameKeys(input, keep({ 'user.name': 'contact.fullName', 'meta.tag': 'tag' }))).toEqual({
      user: { id: 7 },
      meta: {},
      contact: { fullName: 'Ada' },
      tag: 'x',
    });
  });

  it('renames at once, so a pair of renames swaps two fields', () => {
    expect(renameKeys({ a: 1, b: 2 }, keep({ a: 'b', b: 'a' }))).toEqual({ b: 1, a: 2 });
  });

  it('skips renames of missing fields and overwrites an existing target', () => {
    expect(renameKeys({ a: 1, b: 2 }, keep({ missing: 'x', a: 'b' }))).toEqual({ b: 1 });
    expect(renameKeys({ a: null }, keep({ a: 'b' }))).toEqual({ b: null });
  });

  it('drops unlisted fields when asked, keeping only the renamed paths', () => {
    const input = { a: 1, b: 2, nested: { c: 3, d: 4 } };
    expect(renameKeys(input, only({ a: 'x', 'nested.c': 'nested.e' }))).toEqual({ x: 1, nested: { e: 3 } });
    expect(renameKeys(input, only({ missing: 'y' }))).toEqual({});
  });

  it('renames every object of a list', () => {
    expect(renameKeys([{ a: 1 }, { a: 2, b: 3 }, {}], keep({ a: 'z' }))).toEqual([{ z: 1 }, { z: 2, b: 3 }, {}]);
    expect(renameKeys([], keep({ a: 'z' }))).toEqual([]);
  });

  it('applies a key pattern to top-level keys after the map, with groups in the replacement', () => {
    const input = { data_name: 'Ada', data_age: 36, other: true, nested: { data_x: 1 } };
    expect(renameKeys(input, keep({}, { pattern: '^data_(.*)$', replacement: '$1' }))).toEqual({
      name: 'Ada',
      age: 36,
      other: true,
      nested: { data_x: 1 },
    });
    expect(renameKeys({ 'First Name': 1 }, keep({}, { pattern: '\\s+', replacement: '_' }))).toEqual({
      First_Name: 1,
    });
    expect(renameKeys({ ab: 1 }, keep({}, { pattern: '(?<x>a)', replacement: '[$<x>$$]' }))).toEqual({ '[a$]b': 1 });
    expect(renameKeys({ Name: 1 }, keep({}, { pattern: '(?i)^name$', replacement: 'n' }))).toEqual({ n: 1 });
  });

  it('keeps pattern-renamed and map-renamed fields when dropping the others', () => {
    const input = { old: { v: 1 }, x_a: 1, x_b: 2, y: 3 };
    expect(renameKeys(input, only({ 'old.v': 'moved.v' }, { pattern: '^x_', replacement: 'new_' }))).toEqual({
      moved: { v: 1 },
      new_a: 1,
      new_b: 2,
    });
    // The pattern sees the map's new names, and listed paths follow the key they live under.
    expect(renameKeys({ a: 1, b: 2 }, only({ a: 'x_a' }, { pattern: '^x_', replacement: 'done_' }))).toEqual({
      done_a: 1,
    });
  });

  it('resolves pattern collisions by key order: the later key wins', () => {
    expect(renameKeys({ A: 1, a: 2 }, keep({}, { pattern: '^A$', replacement: 'a' }))).toEqual({ a: 2 });
    expect(renameKeys({ a: 1, A: 2 }, keep({}, { pattern: '^A$', replacement: 'a' }))).toEqual({ a: 2 });
  });

  it('never writes to Object.prototype', () => {
    const input = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}');
    const out = renameKeys(input, keep({ a: 'b' })) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['__proto__', 'b']);
    expect(({} as any).polluted).toBeUndefined();
    expect(() => renameKeys({ a: 1 }, keep({ a: 'x.__proto__.polluted' }))).toThrow(/reserved name "__proto__"/);
    expect(() => renameKeys({ a: 1 }, keep({}, { pattern: '^a$', replacement: 'constructor' }))).toThrow(
      'Rename keys: the pattern turns the key "a" into the reserved name "constructor"',
    );
    expect(({} as any).polluted).toBeUndefined();
  });

  it('rejects inputs and items that are not objects, naming the item', () => {
    expect(() => renameKeys('text', keep({ a: 'b' }))).toThrow(
      'Rename keys: the input is a string; it needs an object or a list of objects',
    );
    expect(() => renameKeys(undefined, keep({}))).toThrow('the input is empty');
    expect(() => renameKeys([{ a: 1 }, 5], keep({ a: 'b' }))).toThrow(
      'Rename keys: item 1 of the input list is a number; every item needs to be an object',
    );
  });

  it('rejects bad paths and patterns in params, at compile time and at run time', () => {
    const bad = spec.params.renames.schema.safeParse({ 'a..b': 'c' });
    expect(!bad.success && bad.error.issues[0]).toMatchObject({
      path: ['a..b'],
      message: expect.stringContaining('empty segment'),
    });
    const badTarget = spec.params.renames.schema.safeParse({ a: 'b.' });
    expect(!badTarget.success && badTarget.error.issues[0].path).toEqual(['a']);
    expect(() => renameKeys({}, keep({ a: '' }))).toThrow(
      'Rename keys: in Renames, the new name of "a": field name "" has an empty segment',
    );

    const pattern = (p: string) => spec.params.pattern.schema.safeParse(p);
    expect(pattern('^data_(.*)$').success).toBe(true);
    expect(pattern('').success).toBe(true);
    expect(!pattern('(a').success && pattern('(a').error?.issues[0].message).toMatch(/not valid RE2 syntax/);
    expect(pattern('(a)\\1').success).toBe(false);
    expect(pattern('x'.repeat(257)).success).toBe(false);
    expect(() => renameKeys({}, keep({}, { pattern: 'a{1000}{1000}' }))).toThrow(/not valid RE2|instructions/);
    expect(() => renameKeys({ a: 1 }, keep({}, { pattern: '^a$', replacement: '' }))).toThrow(
      'the pattern turns the key "a" into an empty name',
    );
  });

  it('refuses to scan overlong keys with a pattern', () => {
    expect(() => renameKeys({ ['k'.repeat(10_001)]: 1 }, keep({}, { pattern: 'k$', replacement: 'x' }))).toThrow(
      /key of 10001 characters is longer than the 10000/,
    );
  });

  it('runs as a pure activity on resolved params', async () => {
    expect(spec.runtime).toEqual({ kind: 'activity', taskQueue: 'default', pure: true });
    const params = await resolveParams(spec, { renames: { a: 'b' } }, scope);
    expect(params).toEqual({ renames: { a: 'b' }, keepUnlisted: true, pattern: '', replacement: '' });
    await expect(run(makeRunContext(), params, { a: 1, c: 2 })).resolves.toEqual({ c: 2, b: 1 });
  });
});
