// Corrupted n8n files (fixtures with values swapped for wrong types, hostile keys and strings): every one either
// imports into a document that saves, or fails with N8nImportError naming where; nothing else escapes.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { importN8nWorkflow, N8nImportError } from './import';
import { compileImported } from './testing';

const FIXTURES = ['onboarding-branches', 'webhook-legacy', 'schedule-unknown'].map((name) =>
  JSON.parse(readFileSync(fileURLToPath(new URL(`../../test/n8n/${name}.json`, import.meta.url)), 'utf8')),
);
const ODD_VALUES: unknown[] = [
  null,
  7,
  -1e300,
  '',
  '={{ }}',
  '={{ $json[ }}',
  '<img src=x onerror=alert(1)>',
  [],
  [[[]]],
  {},
  { __rl: true },
  true,
  '={{ $("A").item.json.x }}',
  'x'.repeat(5000),
];

/** A small deterministic generator, so a failure replays. */
function random(seed: number) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

/** Replaces one value somewhere in the tree (objects and arrays) with an odd one. */
function corrupt(value: unknown, next: () => number): unknown {
  if (!value || typeof value !== 'object') return ODD_VALUES[Math.floor(next() * ODD_VALUES.length)];
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [...value] : { ...value };
  const keys = Object.keys(copy);
  if (!keys.length || next() < 0.15) return ODD_VALUES[Math.floor(next() * ODD_VALUES.length)];
  const key = keys[Math.floor(next() * keys.length)];
  (copy as Record<string, unknown>)[key] = corrupt((copy as Record<string, unknown>)[key], next);
  return copy;
}

test('600 corrupted files: a saveable document or an N8nImportError with located problems', () => {
  const escaped: string[] = [];
  for (let i = 0; i < 600; i++) {
    const next = random(i + 1);
    let file = FIXTURES[i % FIXTURES.length];
    for (let k = 0; k < 1 + (i % 3); k++) file = corrupt(file, next) as typeof file;
    try {
      const { document } = importN8nWorkflow(JSON.stringify(file));
      const { blocking } = compileImported(document);
      if (blocking.length) escaped.push(`case ${i}: saved document blocked: ${blocking[0]}`);
    } catch (err) {
      if (!(err instanceof N8nImportError)) escaped.push(`case ${i}: ${(err as Error).stack}`);
      else if (err.problems.some((p) => !p.path || !p.message)) escaped.push(`case ${i}: unlocated problem`);
    }
  }
  expect(escaped.slice(0, 5)).toEqual([]);
});
