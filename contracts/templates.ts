// Workflow templates (docs/decisions/051-templates.md): the metadata schema of `templates/<slug>/template.json`, the
// checks that a template's targets fit its workflow, and `instantiateTemplate`, which turns a template plus the
// user's answers (inputs, credential ids, data table ids) into a workflow document. Pure and shared with the browser:
// the node registry and the compiler are passed in (`TemplateChecker`), since contracts/ imports only contracts.
// The one package import in contracts/: the issue asks for a zod schema here, and zod is pure (node specs bring it
// into the browser and workflow bundles already).
// eslint-disable-next-line no-restricted-imports
import { z } from 'zod';
import { COLUMN_TYPES, TABLE_ID } from './data-tables';

export const TEMPLATE_CATEGORIES = ['HR', 'Finance', 'IT', 'Recruiting', 'Operations'] as const;
export type TemplateCategory = (typeof TEMPLATE_CATEGORIES)[number];

export const INPUT_TYPES = ['text', 'email', 'number', 'url'] as const;
export type TemplateInputType = (typeof INPUT_TYPES)[number];

export const TEMPLATE_SLUG = /^[a-z0-9-]{1,64}$/;
const KEY = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const CREDENTIAL_ID = /^cred_[0-9a-f-]{36}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const text = (field: string, max: number) =>
  z
    .string({ required_error: `${field} is required`, invalid_type_error: `${field} must be text` })
    .trim()
    .min(1, `${field} must not be empty`)
    .max(max, `${field} must be at most ${max} characters`);
const key = (field: string) =>
  z
    .string({ required_error: `${field} is required` })
    .regex(KEY, `${field} must start with a letter and hold only letters, digits and "_" (at most 64)`);

const targetSchema = z
  .object({
    node: z.string({ required_error: 'target node is required' }).min(1, 'target node must not be empty'),
    param: z
      .string({ required_error: 'target param is required' })
      .regex(/^[^.\s]+(\.[^.\s]+)*$/, 'target param must be a dot path such as "fields.companyName"'),
  })
  .strict();
const targets = z.array(targetSchema).min(1, 'targets must name at least one node param').max(50);

const inputSchema = z
  .object({
    key: key('input key'),
    label: text('input label', 100),
    description: z.string().max(1000, 'input description must be at most 1000 characters').optional(),
    type: z.enum(INPUT_TYPES, { errorMap: () => ({ message: `input type must be one of ${INPUT_TYPES.join(', ')}` }) }),
    required: z.boolean().default(false),
    default: z.union([z.string().max(10_000), z.number().finite()]).optional(),
    example: z.union([z.string().max(10_000), z.number().finite()]).optional(),
    targets,
  })
  .strict();

const credentialSchema = z
  .object({
    key: key('credential key'),
    label: text('credential label', 100),
    type: z
      .string({ required_error: 'credential type is required' })
      .regex(/^[a-z0-9-]{1,64}$/, 'credential type must be a credential type id such as "smtp"'),
    description: z.string().max(1000, 'credential description must be at most 1000 characters').optional(),
    targets,
  })
  .strict();

const columnSchema = z
  .object({
    name: text('column name', 64),
    type: z.enum(COLUMN_TYPES, {
      errorMap: () => ({ message: `column type must be one of ${COLUMN_TYPES.join(', ')}` }),
    }),
    required: z.boolean().optional(),
    unique: z.boolean().optional(),
  })
  .strict();

const tableSchema = z
  .object({
    key: key('table key'),
    name: text('table name', 100),
    description: z.string().max(1000).optional(),
    columns: z.array(columnSchema).max(50, 'a table has at most 50 columns'),
    targets,
  })
  .strict();

export const templateMetaSchema = z
  .object({
    title: text('title', 100),
    summary: text('summary', 200),
    description: z.string().max(4000, 'description must be at most 4000 characters').default(''),
    category: z.enum(TEMPLATE_CATEGORIES, {
      errorMap: () => ({ message: `category must be one of ${TEMPLATE_CATEGORIES.join(', ')}` }),
    }),
    tags: z.array(text('tag', 40)).max(20, 'at most 20 tags').default([]),
    inputs: z.array(inputSchema).max(50).default([]),
    credentials: z.array(credentialSchema).max(20).default([]),
    tables: z.array(tableSchema).max(10).default([]),
    sample: z.unknown().optional(),
  })
  .strict();

export type TemplateMeta = z.infer<typeof templateMetaSchema>;
export type TemplateInput = TemplateMeta['inputs'][number];
export type TemplateCredential = TemplateMeta['credentials'][number];
export type TemplateTable = TemplateMeta['tables'][number];
export type TemplateTarget = z.infer<typeof targetSchema>;

/** The workflow document shape, as far as templates need it (ir/types.ts WorkflowDocument is assignable here). */
export interface TemplateDocument {
  nodes: Array<{ id: string; type: string; version: number; name: string; params: Record<string, unknown> }>;
  edges: unknown[];
  settings: object;
}

/** A template as loaded from its folder. */
export type Template<D extends TemplateDocument = TemplateDocument> = TemplateMeta & {
  slug: string;
  document: D;
  readme: string;
};

export class TemplateError extends Error {
  constructor(
    message: string,
    /** The input, credential or table key (or `name`) the problem is about, for the form to mark. */
    readonly field?: { kind: 'input' | 'credential' | 'table' | 'name'; key: string },
  ) {
    super(message);
    this.name = 'TemplateError';
  }
}

/** Parses template.json; the error names the template and the field (`inputs.0.key: …`). */
export function parseTemplateMeta(raw: unknown, slug: string): TemplateMeta {
  const parsed = templateMetaSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.slice(0, 5).map((issue) => {
    const where = issue.path.join('.');
    return where ? `${where}: ${issue.message}` : issue.message;
  });
  throw new TemplateError(`Template "${slug}": template.json is invalid: ${problems.join('; ')}.`);
}

// ---- instantiation ----------------------------------------------------------------------------------------------

export interface TemplateAnswers {
  /** Input key → value; a missing input takes its default. */
  inputs?: Record<string, unknown>;
  /** Credential key → credential id of the caller's workspace; a missing one stays empty (to set in the editor). */
  credentials?: Record<string, string>;
  /** Table key → data table id; a missing one stays empty. */
  tables?: Record<string, string>;
  /** The new workflow's name; the template's title when absent. */
  name?: string;
}

export interface InstantiatedTemplate<D extends TemplateDocument = TemplateDocument> {
  name: string;
  document: D;
}

const own = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Where a dot path lands inside a node's params: the object holding the last key, and that key. A rest of the path
 * that is itself a key (a Set-fields field named "user.name") wins over descending segment by segment.
 */
export function locateParam(
  params: Record<string, unknown>,
  path: string,
): { holder: Record<string, unknown>; key: string } | undefined {
  const [first, ...rest] = path.split('.');
  if (rest.length === 0) return { holder: params, key: first };
  let holder = params[first];
  let remaining = rest;
  while (isRecord(holder)) {
    const joined = remaining.join('.');
    if (remaining.length === 1 || own(holder, joined)) return { holder, key: joined };
    const next: unknown = own(holder, remaining[0]) ? holder[remaining[0]] : undefined;
    if (!isRecord(next)) return undefined;
    holder = next;
    remaining = remaining.slice(1);
  }
  return undefined;
}

/** The value an input's answer becomes, or the reason it is refused (naming the input). */
export function inputValue(input: TemplateInput, answer: unknown): { value?: string | number; problem?: string } {
  const name = `Input "${input.key}" (${input.label})`;
  const given = answer === undefined || answer === null || (typeof answer === 'string' && answer.trim() === '');
  const raw = given ? input.default : answer;
  if (raw === undefined || (typeof raw === 'string' && raw.trim() === ''))
    return input.required ? { problem: `${name} is required` } : { value: input.type === 'number' ? undefined : '' };
  if (typeof raw !== 'string' && typeof raw !== 'number') return { problem: `${name} must be text or a number` };
  if (input.type === 'number') {
    const n = typeof raw === 'number' ? raw : Number(raw.trim());
    return Number.isFinite(n)
      ? { value: n }
      : { problem: `${name} must be a number, not "${String(raw).slice(0, 40)}"` };
  }
  const s = String(raw).trim();
  if (s.length > 10_000) return { problem: `${name} is too long (at most 10000 characters)` };
  if (input.type === 'email' && !EMAIL.test(s))
    return { problem: `${name} must be an email address such as ${input.example ?? 'name@example.com'}` };
  if (input.type === 'url') {
    let ok = false;
    try {
      ok = ['http:', 'https:'].includes(new URL(s).protocol);
    } catch {
      ok = false;
    }
    if (!ok) return { problem: `${name} must be an http(s) URL such as ${input.example ?? 'https://example.com'}` };
  }
  return { value: s };
}

function unknownKeys(
  kind: 'input' | 'credential' | 'table',
  given: Record<string, unknown> | undefined,
  known: string[],
): void {
  for (const k of Object.keys(given ?? {}))
    if (!known.includes(k))
      throw new TemplateError(
        `This template has no ${kind} "${k.slice(0, 64)}"; it has ${known.join(', ') || 'none'}.`,
        { kind, key: k },
      );
}

/**
 * The workflow document of a template with the answers written into their targets. Pure: the template is not
 * changed. Throws a TemplateError naming the input, credential or table key when an answer is refused.
 */
export function instantiateTemplate<D extends TemplateDocument>(
  template: Template<D>,
  answers: TemplateAnswers,
): InstantiatedTemplate<D> {
  unknownKeys(
    'input',
    answers.inputs,
    template.inputs.map((i) => i.key),
  );
  unknownKeys(
    'credential',
    answers.credentials,
    template.credentials.map((c) => c.key),
  );
  unknownKeys(
    'table',
    answers.tables,
    template.tables.map((t) => t.key),
  );
  const name = (answers.name ?? '').trim() || template.title;
  if (name.length > 200)
    throw new TemplateError('The workflow name is too long (at most 200 characters).', { kind: 'name', key: 'name' });

  const document = JSON.parse(JSON.stringify(template.document)) as D;
  const write = (target: TemplateTarget, value: unknown, what: string) => {
    const node = document.nodes.find((n) => n.id === target.node);
    const place = node && locateParam(node.params, target.param);
    if (!place)
      throw new TemplateError(
        `Template "${template.slug}": ${what} targets node "${target.node}" param "${target.param}", which the workflow does not have.`,
      );
    place.holder[place.key] = value;
  };

  // An unanswered id param is removed rather than left "": an absent param is a draft's missing setting (or, where
  // it is optional, its default), while "" is not an id and would keep the workflow from saving.
  const clearEmpty = (target: TemplateTarget) => {
    const node = document.nodes.find((n) => n.id === target.node);
    const place = node && locateParam(node.params, target.param);
    if (place && place.holder[place.key] === '') delete place.holder[place.key];
  };

  for (const input of template.inputs) {
    const { value, problem } = inputValue(input, answers.inputs?.[input.key]);
    if (problem) throw new TemplateError(`${problem}.`, { kind: 'input', key: input.key });
    if (value === undefined) continue;
    for (const target of input.targets) write(target, value, `input "${input.key}"`);
  }
  for (const credential of template.credentials) {
    const id = answers.credentials?.[credential.key];
    if (id === undefined || id === '') {
      credential.targets.forEach(clearEmpty);
      continue;
    }
    if (typeof id !== 'string' || !CREDENTIAL_ID.test(id))
      throw new TemplateError(
        `Credential "${credential.key}" (${credential.label}) must be the id of a credential (cred_…).`,
        {
          kind: 'credential',
          key: credential.key,
        },
      );
    for (const target of credential.targets) write(target, id, `credential "${credential.key}"`);
  }
  for (const table of template.tables) {
    const id = answers.tables?.[table.key];
    if (id === undefined || id === '') {
      table.targets.forEach(clearEmpty);
      continue;
    }
    if (typeof id !== 'string' || !TABLE_ID.test(id))
      throw new TemplateError(`Table "${table.key}" (${table.name}) must be the id of a data table (dt_…).`, {
        kind: 'table',
        key: table.key,
      });
    for (const target of table.targets) write(target, id, `table "${table.key}"`);
  }
  return { name, document };
}

// ---- diagnostics ------------------------------------------------------------------------------------------------

/** What the checks need from the node registry and the compiler (app/lib/templates.server.ts provides both). */
export interface TemplateChecker {
  /** The UI widget of a node type's param and, for credential params, the credential types it accepts. */
  paramOf(
    type: string,
    version: number,
    param: string,
  ): { widget: string; credentialTypes?: readonly string[] } | 'no-such-type' | undefined;
  /** Whether the credential registry knows this type. */
  credentialTypeExists(type: string): boolean;
  /** Error messages of compiling the document (each already naming its node). */
  compile(document: TemplateDocument, name: string): string[];
}

/** Placeholder answers that fill every target, so the document compiles as it will once configured. */
function placeholderAnswers(template: Template): TemplateAnswers {
  const pick = (i: TemplateInput) =>
    i.default ??
    i.example ??
    (i.type === 'number'
      ? 1
      : i.type === 'email'
        ? 'someone@example.com'
        : i.type === 'url'
          ? 'https://example.com'
          : 'Example');
  return {
    inputs: Object.fromEntries(template.inputs.map((i) => [i.key, pick(i)])),
    credentials: Object.fromEntries(
      template.credentials.map((c) => [c.key, 'cred_00000000-0000-4000-8000-000000000000']),
    ),
    tables: Object.fromEntries(template.tables.map((t) => [t.key, 'dt_00000000-0000-4000-8000-000000000000'])),
  };
}

/**
 * Every problem of a template, each naming the template and the input, credential or table key, node and param:
 * a target must name an existing node and param of the right widget (a credential target's param accepts that
 * credential type; a table target is a data table picker), keys are unique, defaults fit their input, and the
 * document filled with placeholder answers compiles.
 */
export function templateDiagnostics(template: Template, checker: TemplateChecker): string[] {
  const problems: string[] = [];
  const at = (what: string, message: string) => problems.push(`Template "${template.slug}", ${what}: ${message}`);
  const nodes = new Map(template.document.nodes.map((n) => [n.id, n]));

  const checkTarget = (
    what: string,
    target: TemplateTarget,
    want: 'value' | 'credential' | 'dataTable',
    credentialType?: string,
  ) => {
    const where = `${what} target node "${target.node}" param "${target.param}"`;
    const node = nodes.get(target.node);
    if (!node) return at(where, `the workflow has no node "${target.node}"`);
    const paramKey = target.param.split('.')[0];
    const param = checker.paramOf(node.type, node.version, paramKey);
    if (param === 'no-such-type') return at(where, `node type ${node.type}@${node.version} does not exist`);
    if (!param) return at(where, `node "${node.name}" (${node.type}) has no param "${paramKey}"`);
    const place = target.param.includes('.') ? locateParam(node.params, target.param) : undefined;
    if (target.param.includes('.') && !(place && own(place.holder, place.key)))
      return at(where, `node "${node.name}" has no "${target.param}" in its params; add it to workflow.json`);
    if (want === 'credential') {
      if (param.widget !== 'credential') return at(where, `param "${paramKey}" is not a credential picker`);
      if (credentialType && !param.credentialTypes?.includes(credentialType))
        at(
          where,
          `param "${paramKey}" accepts ${param.credentialTypes?.join(', ') || 'no'} credentials, not ${credentialType}`,
        );
    } else if (want === 'dataTable') {
      if (param.widget !== 'dataTable') at(where, `param "${paramKey}" is not a data table picker`);
    } else if (param.widget === 'credential' || param.widget === 'dataTable') {
      at(
        where,
        `param "${paramKey}" holds a ${param.widget === 'credential' ? 'credential' : 'data table'} id; list it under ${param.widget === 'credential' ? 'credentials' : 'tables'}`,
      );
    }
  };

  const seen = new Set<string>();
  const unique = (kind: string, k: string) => {
    if (seen.has(`${kind}:${k}`)) at(`${kind} "${k}"`, 'the key is used twice');
    seen.add(`${kind}:${k}`);
  };
  for (const input of template.inputs) {
    unique('input', input.key);
    for (const t of input.targets) checkTarget(`input "${input.key}"`, t, 'value');
    for (const field of ['default', 'example'] as const) {
      if (input[field] === undefined) continue;
      const { problem } = inputValue({ ...input, required: false, default: undefined }, input[field]);
      if (problem) at(`input "${input.key}"`, `its ${field} is refused: ${problem}`);
    }
  }
  for (const credential of template.credentials) {
    unique('credential', credential.key);
    if (!checker.credentialTypeExists(credential.type))
      at(`credential "${credential.key}"`, `credential type "${credential.type}" does not exist`);
    for (const t of credential.targets) checkTarget(`credential "${credential.key}"`, t, 'credential', credential.type);
  }
  for (const table of template.tables) {
    unique('table', table.key);
    const names = new Set<string>();
    for (const c of table.columns) {
      if (names.has(c.name.toLowerCase())) at(`table "${table.key}"`, `column "${c.name}" is listed twice`);
      names.add(c.name.toLowerCase());
    }
    for (const t of table.targets) checkTarget(`table "${table.key}"`, t, 'dataTable');
  }
  if (problems.length) return problems;
  try {
    const filled = instantiateTemplate(template, placeholderAnswers(template));
    for (const message of checker.compile(filled.document, filled.name)) at('workflow.json', message);
  } catch (err) {
    at('placeholder answers', (err as Error).message);
  }
  return problems;
}
