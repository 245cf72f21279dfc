// The web serves triggers through their registry bindings (nodes/triggers.ts), so adding a trigger never means
// editing the web: no web file outside the tests names a trigger type.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, relative } from 'node:path';
import { registry } from '../nodes/index';

const root = fileURLToPath(new URL('..', import.meta.url));
const triggerTypes = registry
  .list()
  .filter((s) => s.runtime.kind === 'trigger')
  .map((s) => s.type);

const webFiles = () => [
  join(root, 'server.ts'),
  ...readdirSync(join(root, 'app'), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.tsx?$/.test(f))
    .map((f) => join(root, 'app', f)),
];
const isTestSupport = (file: string) => /\.test\.tsx?$|(^|\/)web-test-[^/]+\.ts$/.test(file);

/** `file: type` for each quoted trigger type string in `file`. */
function namedTriggerTypes(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return triggerTypes
    .filter((type) => new RegExp(`(['"\`])${type}\\1`).test(text))
    .map((type) => `${relative(root, file)}: ${type}`);
}

test('the registry knows the manual and webhook triggers', () => {
  expect(triggerTypes).toEqual(expect.arrayContaining(['manual-trigger', 'webhook-trigger']));
});

test('the scan finds trigger type strings where test support names them', () => {
  expect(namedTriggerTypes(join(root, 'app/web-test-documents.ts'))).toEqual([
    'app/web-test-documents.ts: manual-trigger',
    'app/web-test-documents.ts: webhook-trigger',
  ]);
});

test('no web file outside the tests names a trigger type', () => {
  const files = webFiles().filter((f) => !isTestSupport(f));
  expect(files.length).toBeGreaterThan(20);
  expect(files.flatMap(namedTriggerTypes)).toEqual([]);
});
