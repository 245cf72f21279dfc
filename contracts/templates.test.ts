// The template contract: template.json refusals name the field; diagnostics name the template, the key, the node
// and the param (missing node, missing param, wrong credential type, wrong widget, a document that does not
// compile); instantiateTemplate writes each answer into its targets without changing the template, and refuses a
// bad answer naming its key; hostile strings are kept verbatim (the UI shows them as text).
import { join } from 'node:path';
import { instantiateTemplate, parseTemplateMeta, templateDiagnostics, TemplateError, type Template } from './templates';
import { readdirSync } from 'node:fs';
import { diagnoseTemplate, loadTemplatesFrom, nodeTemplateChecker, readTemplate } from '../app/lib/templates.server';
import { REPO_ROOT } from '../test/stack';

const FIXTURE = join(REPO_ROOT, 'test', 'fixtures', 'templates', 'hello');
const fresh = (): Template => JSON.parse(JSON.stringify(readTemplate(FIXTURE, 'hello')));
const CRED = 'cred_11111111-2222-4333-8444-555555555555';
const TABLE = 'dt_11111111-2222-4333-8444-555555555555';

describe('template.json', () => {
  test('the fixture loads and has no problems', () => {
    const t = readTemplate(FIXTURE, 'hello');
    expect(t.title).toBe('Hello mail');
    expect(t.document.nodes.map((n) => n.id)).toEqual(['start', 'settings', 'greet', 'record']);
    expect(t.readme).toContain('Node by node');
    expect(diagnoseTemplate(t)).toEqual([]);
  });

  test.each([
    [{ category: 'Sales' }, 'category: category must be one of HR, Finance, IT, Recruiting, Operations'],
    [{ title: '' }, 'title: title must not be empty'],
    [{ inputs: [{ key: '1bad', label: 'x', type: 'text', targets: [{ node: 'a', param: 'b' }] }] }, 'inputs.0.key'],
    [{ inputs: [{ key: 'ok', label: 'x', type: 'date', targets: [{ node: 'a', param: 'b' }] }] }, 'inputs.0.type'],
    [{ credentials: [{ key: 'mail', label: 'M', type: 'smtp', targets: [] }] }, 'credentials.0.targets'],
    [
      { tables: [{ key: 't', name: 'T', columns: [{ name: 'A', type: 'text' }], targets: [] }] },
      'tables.0.columns.0.type',
    ],
    [{ surprise: true }, "Unrecognized key(s) in object: 'surprise'"],
  ])('%j is refused naming the field', (change, expected) => {
    const base = { title: 'T', summary: 'S', category: 'HR' };
    expect(() => parseTemplateMeta({ ...base, ...change }, 'broken')).toThrow(TemplateError);
    expect(() => parseTemplateMeta({ ...base, ...change }, 'broken')).toThrow(
      /^Template "broken": template.json is invalid: /,
    );
    expect(() => parseTemplateMeta({ ...base, ...change }, 'broken')).toThrow(expected);
  });
});

describe('templateDiagnostics', () => {
  test('a target to a missing node names the template, the input and the node', () => {
    const t = fresh();
    t.inputs[0].targets = [{ node: 'nowhere', param: 'fields.companyName' }];
    expect(diagnoseTemplate(t)).toEqual([
      'Template "hello", input "companyName" target node "nowhere" param "fields.companyName": the workflow has no node "nowhere"',
    ]);
  });

  test('a target to a missing param, and to a missing field of an existing param, each name the param', () => {
    const t = fresh();
    t.inputs[0].targets = [{ node: 'greet', param: 'colour' }];
    t.inputs[1].targets = [{ node: 'settings', param: 'fields.nope' }];
    expect(diagnoseTemplate(t)).toEqual([
      'Template "hello", input "companyName" target node "greet" param "colour": node "Greeting" (send-email) has no param "colour"',
      'Template "hello", input "greeterEmail" target node "settings" param "fields.nope": node "Settings" has no "fields.nope" in its params; add it to workflow.json',
    ]);
  });

  test('a credential of the wrong type, and credential or table targets on plain params, are named', () => {
    const t = fresh();
    t.credentials[0].type = 'postgres';
    t.tables[0].targets = [{ node: 'greet', param: 'subject' }];
    t.inputs[0].targets = [{ node: 'greet', param: 'credential' }];
    expect(diagnoseTemplate(t)).toEqual([
      'Template "hello", input "companyName" target node "greet" param "credential": param "credential" holds a credential id; list it under credentials',
      'Template "hello", credential "mail" target node "greet" param "credential": param "credential" accepts smtp credentials, not postgres',
      'Template "hello", table "greeted" target node "greet" param "subject": param "subject" is not a data table picker',
    ]);
  });

  test('an unknown credential type, a duplicate key and a default that its type refuses are named', () => {
    const t = fresh();
    t.credentials[0].type = 'carrier-pigeon';
    t.inputs[1].key = 'companyName';
    t.inputs[1].default = 'not-an-address';
    const found = diagnoseTemplate(t);
    expect(found).toContain('Template "hello", input "companyName": the key is used twice');
    expect(found).toContain(
      'Template "hello", input "companyName": its default is refused: Input "companyName" (Greeter email) must be an email address such as hello@acme.test',
    );
    expect(found).toContain('Template "hello", credential "mail": credential type "carrier-pigeon" does not exist');
  });

  test('a document that does not compile once filled in is reported with the node', () => {
    const t = fresh();
    t.document.edges.push({ id: 'loop', source: 'record', sourcePort: 'out', target: 'settings', targetPort: 'in' });
    const found = templateDiagnostics(t, nodeTemplateChecker);
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]).toMatch(/^Template "hello", workflow.json: .*(cycle|Settings)/);
  });
});

describe('instantiateTemplate', () => {
  test('writes inputs, credential and table ids into their targets, and leaves the template unchanged', () => {
    const t = fresh();
    const before = JSON.stringify(t);
    const made = instantiateTemplate(t, {
      inputs: { companyName: 'Globex', greeterEmail: 'hi@globex.test' },
      credentials: { mail: CRED },
      tables: { greeted: TABLE },
      name: 'Greeter of Globex',
    });
    expect(JSON.stringify(t)).toBe(before);
    expect(made.name).toBe('Greeter of Globex');
    const params = (id: string) => made.document.nodes.find((n) => n.id === id)!.params;
    expect(params('settings').fields).toEqual({ companyName: 'Globex', greeterEmail: 'hi@globex.test' });
    expect(params('greet').credential).toBe(CRED);
    expect(params('record').table).toBe(TABLE);
  });

  test('a missing input takes its default; unanswered credential and table params are removed; the name defaults to the title', () => {
    const made = instantiateTemplate(fresh(), { inputs: { greeterEmail: 'hi@globex.test' } });
    expect(made.name).toBe('Hello mail');
    expect(made.document.nodes.find((n) => n.id === 'settings')!.params.fields).toEqual({
      companyName: 'Acme',
      greeterEmail: 'hi@globex.test',
    });
    expect(made.document.nodes.find((n) => n.id === 'greet')!.params).not.toHaveProperty('credential');
    expect(made.document.nodes.find((n) => n.id === 'record')!.params).not.toHaveProperty('table');
  });

  test.each([
    [{ inputs: {} }, 'Input "greeterEmail" (Greeter email) is required.', 'greeterEmail'],
    [
      { inputs: { greeterEmail: 'nope' } },
      'Input "greeterEmail" (Greeter email) must be an email address',
      'greeterEmail',
    ],
    [{ inputs: { greeterEmail: 'a@b.test', colour: 'red' } }, 'This template has no input "colour"', 'colour'],
    [
      { inputs: { greeterEmail: 'a@b.test' }, credentials: { mail: 'password123' } },
      'Credential "mail" (Mail server) must be the id of a credential',
      'mail',
    ],
    [
      { inputs: { greeterEmail: 'a@b.test' }, credentials: { slack: CRED } },
      'This template has no credential "slack"',
      'slack',
    ],
    [
      { inputs: { greeterEmail: 'a@b.test' }, tables: { greeted: 'cred_x' } },
      'Table "greeted" (Greeted people) must be the id of a data table',
      'greeted',
    ],
  ])('%j is refused naming the key', (answers, message, key) => {
    let error: unknown;
    try {
      instantiateTemplate(fresh(), answers);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(TemplateError);
    expect((error as Error).message).toContain(message);
    expect((error as TemplateError).field?.key).toBe(key);
  });

  test('hostile strings in the title, README and answers are kept verbatim, never interpreted', () => {
    const t = fresh();
    const hostile = '<img src=x onerror="alert(1)"><script>alert(2)</script>';
    const meta = parseTemplateMeta({ title: hostile, summary: hostile, category: 'IT' }, 'hostile');
    expect(meta.title).toBe(hostile);
    const made = instantiateTemplate(t, { inputs: { companyName: hostile, greeterEmail: 'a@b.test' }, name: hostile });
    expect(made.name).toBe(hostile);
    expect(made.document.nodes.find((n) => n.id === 'settings')!.params.fields).toMatchObject({ companyName: hostile });
  });
});

describe('every template in templates/', () => {
  const root = join(REPO_ROOT, 'templates');
  const folders = readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('_') && !e.name.startsWith('.'))
    .map((e) => e.name);

  test('loads, and its targets and document pass the checks', () => {
    const library = loadTemplatesFrom(root);
    expect(library.problems).toEqual([]);
    expect(library.templates.map((t) => t.slug).sort()).toEqual([...folders].sort());
  });

  test.each(folders)('%s has a README, a summary and at least one tag', (slug) => {
    const t = readTemplate(join(root, slug), slug);
    expect(t.readme.trim().length).toBeGreaterThan(100);
    expect(t.tags.length).toBeGreaterThan(0);
  });
});
