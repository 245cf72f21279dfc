import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeSpec, registry } from './index';

const here = fileURLToPath(new URL('.', import.meta.url));
/** Folders under nodes/ that hold something other than one node type. */
const NOT_NODE_TYPES = new Set(['credentials', 'documents', 'sql', 'ai']);
const folders = readdirSync(here).filter((f) => statSync(join(here, f)).isDirectory() && !NOT_NODE_TYPES.has(f));

describe('registry', () => {
  it('lists the latest version of each node, triggers first, then flow, then core', () => {
    const list = registry.list();
    expect(list.map((s) => s.type)).toEqual([
      'manual-trigger',
      'webhook-trigger',
      'schedule-trigger',
      'form-trigger',
      'chat-trigger',
      'if',
      'switch',
      'merge',
      'loop-over-items',
      'repeat-until',
      'delay',
      'wait',
      'approval',
      'form',
      'execute-workflow',
      'stop-and-error',
      'set-fields',
      'filter',
      'sort',
      'limit',
      'remove-duplicates',
      'split-out',
      'aggregate',
      'rename-keys',
      'date-time',
      'crypto',
      'compare-datasets',
      'docx-template',
      'docx-create',
      'pdf-create',
      'xlsx-read',
      'xlsx-write',
      'data-table',
      'http-request',
      'code',
      'n8n-placeholder',
      'send-email',
      'calendar-invite',
      'calendar-event',
      'slack',
      'bamboohr',
      'postgres',
      'mysql',
      'sqlite',
      'llm',
      'agent',
      'browser',
    ]);
    const rank = { trigger: 0, flow: 1, human: 1, core: 2 } as Record<string, number>;
    const ranks = list.map((s) => rank[s.category]);
    expect([...ranks].sort()).toEqual(ranks);
  });

  it('has exactly one spec per node folder, with type == folder name', () => {
    expect(
      registry
        .list()
        .map((s) => s.type)
        .sort(),
    ).toEqual([...folders].sort());
  });

  it('looks specs up by type and version', () => {
    expect(registry.get('http-request', 1)?.title).toBe('HTTP request');
    expect(registry.get('http-request', 2)).toBeUndefined();
    expect(registry.latest('nope')).toBeUndefined();
    expect(registry.latest('code')?.version).toBe(1);
  });

  it('gives every param a label and a placeholder', () => {
    for (const spec of registry.list()) {
      for (const [key, def] of Object.entries(spec.params)) {
        expect([spec.type, key, def.ui.label.length > 0, (def.ui.placeholder ?? '').length > 0]).toEqual([
          spec.type,
          key,
          true,
          true,
        ]);
      }
    }
  });

  it('leaves the output ids that nodes/ports.ts derives (error, list indexes) to it', () => {
    for (const spec of registry.all()) {
      for (const port of spec.outputs)
        expect([spec.type, port.id]).not.toEqual([spec.type, expect.stringMatching(/^(error|\d+)$/)]);
    }
  });

  it('keeps every param default valid against its own schema', () => {
    for (const spec of registry.list()) {
      for (const def of Object.values(spec.params)) {
        if (def.default !== undefined) expect(def.schema.safeParse(def.default).success).toBe(true);
      }
    }
  });
});

describe('describeSpec', () => {
  it('is JSON-safe and complete', () => {
    for (const spec of registry.list()) {
      const described = describeSpec(spec);
      expect(JSON.parse(JSON.stringify(described))).toEqual(described);
      expect(described.params.map((p) => p.key)).toEqual(Object.keys(spec.params));
    }
  });

  it('describes runtime kind, queue, multi-input ports and resolved policy', () => {
    const merge = describeSpec(registry.latest('merge')!);
    expect(merge).toMatchObject({ runtime: { kind: 'merge', taskQueue: 'default' }, multipleInputs: true });
    const http = describeSpec(registry.latest('http-request')!);
    expect(http).toMatchObject({
      runtime: { kind: 'activity', taskQueue: 'default' },
      multipleInputs: false,
      policy: { timeoutMs: 330_000 },
    });
    expect(http.params.find((p) => p.key === 'url')).toMatchObject({
      ui: { widget: 'text', required: true, expression: true, maxLength: 8192 },
    });
  });

  it('conditional fields depend on a select of the same node and name values it offers', () => {
    const problems: string[] = [];
    for (const spec of registry.all()) {
      for (const [key, def] of Object.entries(spec.params)) {
        const when = def.ui.showWhen;
        if (!when) continue;
        const on = spec.params[when.param];
        const offered = on?.ui.options?.map((o) => o.value) ?? [];
        if (on?.ui.widget !== 'select') problems.push(`${spec.type}.${key}: ${when.param} is not a select`);
        for (const value of when.oneOf)
          if (!offered.includes(value)) problems.push(`${spec.type}.${key}: ${when.param} never is "${value}"`);
      }
    }
    expect(problems).toEqual([]);
    const webhook = describeSpec(registry.latest('webhook-trigger')!);
    expect(webhook.params.find((p) => p.key === 'basicPassword')?.ui).toMatchObject({
      widget: 'secret',
      showWhen: { param: 'auth', oneOf: ['basic'] },
    });
  });
});
