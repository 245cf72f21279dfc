// Golden tests: every ir/golden/<case>/document.json compiles to exactly its expected.json (a plan or
// diagnostics). After an intended change, rewrite them with UPDATE_GOLDEN=1 and review the diff.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'prettier';
import { compilePlan } from './compile';

const root = fileURLToPath(new URL('./golden', import.meta.url));
const cases = readdirSync(root).sort();

describe('golden compile cases', () => {
  it('has cases', () => {
    expect(cases.length).toBeGreaterThan(10);
  });

  it.each(cases)('%s', async (name) => {
    const doc = JSON.parse(readFileSync(join(root, name, 'document.json'), 'utf8'));
    const result = compilePlan(doc, { workflowId: 'wf-golden', name });
    const expectedPath = join(root, name, 'expected.json');
    if (process.env.UPDATE_GOLDEN === '1') {
      // Written the way `prettier --check` expects, so regenerated files pass lint unchanged.
      writeFileSync(expectedPath, await format(JSON.stringify(result), { parser: 'json', printWidth: 120 }));
    }
    expect(JSON.parse(JSON.stringify(result))).toEqual(JSON.parse(readFileSync(expectedPath, 'utf8')));
    // A case named reject-* must fail to compile; every other case must produce a plan.
    expect(result.ok).toBe(!name.startsWith('reject-'));
  });
});
