// The interpreter must stay replayable: ESLint rejects I/O, Node built-ins and runner imports in workflows/.
import { ESLint } from 'eslint';

// The probe is not a file on disk, so type-aware parsing (and the one type-aware rule) is switched off for it.
const eslint = new ESLint({
  cwd: process.cwd(),
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false } },
    rules: { '@typescript-eslint/no-floating-promises': 'off' },
  },
});

async function lintAsWorkflow(source: string) {
  const [result] = await eslint.lintText(source, { filePath: 'workflows/lint-probe.ts' });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('workflow determinism lint rule', () => {
  it.each([
    ["import { readFileSync } from 'node:fs';", 'Node built-ins'],
    ["import { createHash } from 'crypto';", 'Node built-ins'],
    ["import { run } from '../nodes/http-request/run';", 'never runners'],
    ["import mongoose from 'mongoose';", 'I/O libraries'],
    ["import { Client } from '@temporalio/client';", 'I/O libraries'],
    ["import { connectDb } from '../db/connection';", 'may not import the store'],
    ["import { createActivities } from '../activities/index';", 'as types only'],
  ])('rejects %s', async (source, reason) => {
    const messages = await lintAsWorkflow(`${source}\nexport const probe = 1;\n`);
    expect(messages.join('\n')).toContain(reason);
  });

  it('allows types, pure node specs and pure IR helpers', async () => {
    const messages = await lintAsWorkflow(
      [
        "import type { createActivities } from '../activities/index';",
        "import { registry } from '../nodes/index';",
        "import { resolveTemplates } from '../ir/expression';",
        "import { proxyActivities } from '@temporalio/workflow';",
        'export const probe = [registry, resolveTemplates, proxyActivities] as Array<unknown>;',
        'export type A = typeof createActivities;',
      ].join('\n'),
    );
    expect(messages).toEqual([]);
  });
});
