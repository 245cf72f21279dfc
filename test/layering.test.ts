// The layers of ARCHITECTURE.md ("Layout"), checked twice: every import in the tree follows them, and the
// lint rule that stops a new file from breaking them actually fires.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { REPO_ROOT } from './stack';

const SOURCE_DIRS = ['app', 'activities', 'contracts', 'db', 'express', 'ir', 'nodes', 'temporal', 'workflows'];

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name) && !/(\.test|-test-stack)\.tsx?$/.test(e.name))
    .map((e) => path.relative(REPO_ROOT, path.join(e.parentPath, e.name)));
}

/** Top-level folders a file imports from (static, re-export and dynamic imports), with whether it is types only. */
function importedLayers(file: string): Array<{ layer: string; typeOnly: boolean; spec: string }> {
  const source = readFileSync(path.join(REPO_ROOT, file), 'utf8');
  const found: Array<{ layer: string; typeOnly: boolean; spec: string }> = [];
  const re =
    /(?:^|\n)\s*(import|export)\s+(type\s+)?[^'";]*?from\s+['"](\.[^'"]+)['"]|import\(\s*[`'"](\.[^`'"]+)[`'"]/g;
  for (const m of source.matchAll(re)) {
    const spec = m[3] ?? m[4];
    const resolved = path.relative(REPO_ROOT, path.resolve(path.dirname(path.join(REPO_ROOT, file)), spec));
    found.push({ layer: resolved.split(path.sep)[0], typeOnly: Boolean(m[2]), spec });
  }
  return found;
}

/**
 * Which layers each layer may import (values only; `workflows/` may also import activity types). `express/`
 * runs plans in the web process (decision 030) and reuses the interpreter's pure graph state, nothing else of it.
 */
const ALLOWED: Record<string, string[]> = {
  contracts: ['contracts'],
  ir: ['ir', 'contracts', 'nodes'],
  nodes: ['nodes', 'contracts', 'ir'],
  db: ['db', 'contracts', 'ir', 'nodes'],
  workflows: ['workflows', 'contracts', 'ir', 'nodes'],
  activities: ['activities', 'contracts', 'db', 'ir', 'nodes'],
  express: ['express', 'contracts', 'db', 'ir', 'nodes'],
  app: ['app', 'contracts', 'db', 'express', 'ir', 'nodes', 'temporal', 'workflows'],
  temporal: ['temporal', 'activities', 'contracts', 'db', 'ir', 'nodes', 'workflows'],
};

test('every import follows the layer rules', () => {
  const violations: string[] = [];
  for (const dir of SOURCE_DIRS) {
    for (const file of sourceFiles(dir)) {
      for (const { layer, typeOnly, spec } of importedLayers(file)) {
        if (ALLOWED[dir].includes(layer)) continue;
        if (typeOnly && dir === 'workflows' && layer === 'activities') continue;
        if (dir === 'express' && /(^|\/)workflows\/graph-state$/.test(spec)) continue;
        violations.push(`${file} imports ${spec} (${dir}/ → ${layer}/)`);
      }
    }
  }
  expect(violations).toEqual([]);
});

test('workflow code reaches nodes only through pure specs, never runners', () => {
  const runners = sourceFiles('workflows').flatMap((file) =>
    importedLayers(file)
      .filter(({ spec }) => /(^|\/)nodes\/[^/]+\/run$/.test(spec))
      .map(({ spec }) => `${file} imports ${spec}`),
  );
  expect(runners).toEqual([]);
});

describe('the lint rule', () => {
  const eslint = new ESLint({
    cwd: REPO_ROOT,
    overrideConfig: {
      languageOptions: { parserOptions: { projectService: false } },
      rules: { '@typescript-eslint/no-floating-promises': 'off' },
    },
  });
  const lint = async (filePath: string, source: string) => {
    const [result] = await eslint.lintText(`${source}\nexport const probe = 1;\n`, { filePath });
    return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
  };

  it.each([
    [
      'app/lib/probe.server.ts',
      "import { createRunNode } from '../../activities/run-node';",
      'may not import activities/',
    ],
    ['app/routes/probe.ts', "import type { ActivityDeps } from '../../activities/deps';", 'may not import activities/'],
    ['activities/probe.ts', "import { launchRun } from '../app/lib/run-launcher.server';", 'may not import app/'],
    ['db/probe.ts', "import { createActivities } from '../activities/index';", 'may not import activities/'],
    ['db/probe.ts', "import { startWeb } from '../app/lib/live-relay.server';", 'may not import app/'],
    ['contracts/probe.ts', "import mongoose from 'mongoose';", 'import only other contracts'],
    ['workflows/probe.ts', "import { getRun } from '../db/runs';", 'may not import the store'],
    ['express/probe.ts', "import { launchRun } from '../app/lib/run-launcher.server';", 'may not import app/'],
    ['express/probe.ts', "import { createRunNode } from '../activities/run-node';", 'may not import activities/'],
    ['express/probe.ts', "import { startRun } from '../temporal/client';", 'may not import temporal/'],
    ['express/probe.ts', "import { runGraph } from '../workflows/interpreter';", 'only its pure graph-state'],
  ])('in %s rejects %s', async (file, source, reason) => {
    expect((await lint(file, source)).join('\n')).toContain(reason);
  });

  it('allows what the layers allow', async () => {
    expect(await lint('app/lib/probe.server.ts', "import { getRun } from '../../db/runs';")).toEqual([]);
    expect(await lint('activities/probe.ts', "import { getRun } from '../db/runs';")).toEqual([]);
    expect(await lint('contracts/probe.ts', "import type { RunError } from './run-status';")).toEqual([]);
    expect(await lint('express/probe.ts', "import { GraphState } from '../workflows/graph-state';")).toEqual([]);
    expect(
      await lint('app/lib/probe.server.ts', "import { startExpressRun } from '../../express/run-express';"),
    ).toEqual([]);
  });
});
