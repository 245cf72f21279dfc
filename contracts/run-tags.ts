// Run tags: key → value pairs a node's "Tag run" setting (NodePolicy.tags) sets from expressions over the node's
// output, stored on the run as queryable fields (db/run-tags.ts). Pure: the compiler, the inspector, the
// activities and the store apply the same bounds.

/** One "Tag run" entry of a node: the tag's key and a `{{ … }}` template evaluated on the node's output. */
export interface TagRule {
  key: string;
  value: string;
}

export const TAG_LIMITS = {
  /** Tag rules one node may have. */
  perNode: 10,
  /** Distinct `key=value` tags one run keeps; later ones are dropped. */
  perRun: 50,
  keyLength: 40,
  /** Longer values are cut to this many characters. */
  valueLength: 200,
  /** Length of a rule's value template. */
  templateLength: 2_000,
} as const;

// A key becomes a document field name (`tagValues.<key>`) and the left side of `key=value`: letters, digits, `_`
// and `-` only, a letter first, so no `.`, `$`, `=` or prototype names reach the store.
const KEY = /^[A-Za-z][A-Za-z0-9_-]*$/;
const RESERVED = new Set(['constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty']);

/** Why `key` cannot be a tag key, or undefined when it can. */
export function tagKeyProblem(key: unknown): string | undefined {
  if (typeof key !== 'string' || key === '') return 'is empty';
  if (key.length > TAG_LIMITS.keyLength) return `is longer than ${TAG_LIMITS.keyLength} characters`;
  if (!KEY.test(key)) return 'must start with a letter and hold only letters, digits, "_" and "-"';
  if (RESERVED.has(key)) return 'is a reserved name';
  return undefined;
}

/** An evaluated value as the tag's text: strings as they are, other JSON as JSON; nothing for null or empty. */
export function tagValueText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (text === undefined || text === '') return undefined;
  // Control characters would make the tag unreadable in a list; they become spaces.
  const clean = [...text].map((c) => (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f ? ' ' : c)).join('');
  return [...clean].slice(0, TAG_LIMITS.valueLength).join('');
}

/** `key=value`, the form a tag is stored and searched in. */
export const tagString = (key: string, value: string) => `${key}=${value}`;

/** Parses a search for a tag, `key=value` (or `key:value`), checking the key. */
export function parseTagSearch(text: string): { key: string; value: string } | { error: string } {
  const match = /^([^=:]+)[=:](.*)$/.exec(text.trim());
  if (!match) return { error: 'must look like key=value' };
  const key = match[1].trim();
  const problem = tagKeyProblem(key);
  if (problem) return { error: `key "${key.slice(0, 60)}" ${problem}` };
  const value = tagValueText(match[2].trim());
  if (value === undefined) return { error: 'has no value after "="' };
  return { key, value };
}

/** The run record's fields for a run's tags (an express run's, written whole at its end). */
export function tagFields(tags: Record<string, string>): { tags: string[]; tagValues: Record<string, string> } {
  const entries = Object.entries(tags)
    .filter(([k, v]) => tagKeyProblem(k) === undefined && tagValueText(v) === v)
    .slice(0, TAG_LIMITS.perRun);
  return { tags: entries.map(([k, v]) => tagString(k, v)), tagValues: Object.fromEntries(entries) };
}
