// The template library (docs/decisions/051-templates.md): `templates/<slug>/` folders read from disk once per process
// (relative to the working directory, as in the built app and the Docker image; BATON_TEMPLATES_DIR overrides it),
// the node registry and compiler as the contracts' TemplateChecker, the gallery's card view, and "use template":
// answers checked against the caller's workspace (a credential may be of any type its node params accept), new data
// tables created here (table-choices.server.ts, as a marketplace install does), instantiated server-side and created
// like POST /api/workflows.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  instantiateTemplate,
  parseTemplateMeta,
  TEMPLATE_SLUG,
  TemplateError,
  templateDiagnostics,
  type Template,
  type TemplateAnswers,
  type TemplateChecker,
  type TemplateCredential,
  type TemplateDocument,
  type TemplateTarget,
} from '../../contracts/templates';
import { getCredential } from '../../db/credentials';
import { createWorkflow } from '../../db/workflows';
import { compilePlan } from '../../ir/compile';
import type { Diagnostic, WorkflowDocument } from '../../ir/types';
import { credentialType } from '../../nodes/credentials/index';
import { registry } from '../../nodes/index';
import { keepStoredSecrets, maskSecrets } from '../../nodes/secret-params';
import type { Caller } from './caller.server';
import { checkForSave, describeDiagnostic, summarizeDiagnostics } from './document-check';
import { apiError, json } from './http.server';
import { resolveTableChoices, TableChoiceError, type TableChoiceAnswer } from './table-choices.server';
import { foreignReferenceRefusal } from './workflow-references.server';

export type LoadedTemplate = Template<WorkflowDocument>;

function readJsonFile(dir: string, slug: string, file: string): unknown {
  const path = join(dir, file);
  if (!existsSync(path)) throw new TemplateError(`Template "${slug}": ${file} is missing in ${dir}.`);
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new TemplateError(`Template "${slug}": ${file} is not valid JSON (${(err as Error).message}).`);
  }
}

/** One template folder: template.json, workflow.json and README.md. Errors name the template and the file. */
export function readTemplate(dir: string, slug: string): LoadedTemplate {
  if (!TEMPLATE_SLUG.test(slug))
    throw new TemplateError(`Template folder "${slug}" is not a slug: use lower-case letters, digits and "-".`);
  const meta = parseTemplateMeta(readJsonFile(dir, slug, 'template.json'), slug);
  const workflow = readJsonFile(dir, slug, 'workflow.json') as Partial<WorkflowDocument> | null;
  if (!workflow || !Array.isArray(workflow.nodes) || !Array.isArray(workflow.edges))
    throw new TemplateError(`Template "${slug}": workflow.json must be an object with "nodes" and "edges" arrays.`);
  const readmePath = join(dir, 'README.md');
  const readme = existsSync(readmePath) ? readFileSync(readmePath, 'utf8') : '';
  const document: WorkflowDocument = {
    nodes: workflow.nodes,
    edges: workflow.edges,
    settings: workflow.settings ?? {},
  };
  return { ...meta, slug, document, readme };
}

export interface TemplateLibrary {
  templates: LoadedTemplate[];
  /** Folders that failed to load or check, each message naming the template. */
  problems: string[];
}

/** Every template under `root`, sorted by category then title; a broken one is left out and reported. */
export function loadTemplatesFrom(root: string): TemplateLibrary {
  const templates: LoadedTemplate[] = [];
  const problems: string[] = [];
  const folders = existsSync(root) ? readdirSync(root).filter((f) => statSync(join(root, f)).isDirectory()) : [];
  for (const slug of folders.sort()) {
    // `_shared`-style folders hold helpers for the templates' tests, not templates.
    if (slug.startsWith('_') || slug.startsWith('.')) continue;
    try {
      const template = readTemplate(join(root, slug), slug);
      const found = diagnoseTemplate(template);
      if (found.length) problems.push(...found);
      else templates.push(template);
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  templates.sort((a, b) => a.category.localeCompare(b.category) || a.title.localeCompare(b.title));
  return { templates, problems };
}

export const templatesRoot = () => process.env.BATON_TEMPLATES_DIR || join(process.cwd(), 'templates');

let library: TemplateLibrary | undefined;

/** The library of this process, read on first use. */
export function templateLibrary(): TemplateLibrary {
  if (!library) {
    library = loadTemplatesFrom(templatesRoot());
    for (const problem of library.problems) console.error(`[templates] left out: ${problem}`);
  }
  return library;
}

export function findTemplate(slug: string): LoadedTemplate | undefined {
  return templateLibrary().templates.find((t) => t.slug === slug);
}

/** The node registry, the credential registry and the compiler, as the template checks need them. */
export const nodeTemplateChecker: TemplateChecker = {
  paramOf(type, version, param) {
    const spec = registry.get(type, version);
    if (!spec) return 'no-such-type';
    const def = Object.prototype.hasOwnProperty.call(spec.params, param) ? spec.params[param] : undefined;
    return def && { widget: def.ui.widget, credentialTypes: def.ui.credentialTypes };
  },
  credentialTypeExists: (type) => credentialType(type) !== undefined,
  compile(document: TemplateDocument, name) {
    const compiled = compilePlan(document as unknown as WorkflowDocument, { workflowId: 'template', name });
    return compiled.ok ? [] : compiled.diagnostics.map((d) => describeDiagnostic(d, document));
  },
};

export const diagnoseTemplate = (template: Template) => templateDiagnostics(template, nodeTemplateChecker);

/** A target's node and the credential types its param accepts (none for an unknown node or param). */
function targetParam(template: Template, target: TemplateTarget) {
  const node = template.document.nodes.find((n) => n.id === target.node);
  const param = node && nodeTemplateChecker.paramOf(node.type, node.version, target.param.split('.')[0]);
  return { node, types: param && param !== 'no-such-type' ? (param.credentialTypes ?? []) : [] };
}

/**
 * Every credential type a template credential may be answered with: those all of its targets' params accept (the
 * HTTP node's takes four), the type the template names first. The loader's checks make sure that one is accepted.
 */
export function acceptedCredentialTypes(template: Template, credential: TemplateCredential): string[] {
  const common = credential.targets
    .map((t) => targetParam(template, t).types)
    .reduce((a, b) => a.filter((type) => b.includes(type)));
  return [credential.type, ...common.filter((type) => type !== credential.type)];
}

/** The template's credentials as the wizard asks for them, each with every type it accepts. */
export const credentialNeeds = (template: Template) =>
  template.credentials.map((c) => ({ ...c, types: acceptedCredentialTypes(template, c) }));

/** What a gallery card shows: no document, no README. */
export interface TemplateCard {
  slug: string;
  title: string;
  summary: string;
  description: string;
  category: string;
  tags: string[];
  nodes: Array<{ type: string; title: string; icon: string }>;
  credentials: Array<{ key: string; label: string; type: string; typeTitle: string }>;
  tables: Array<{ key: string; name: string }>;
}

export function templateCard(t: LoadedTemplate): TemplateCard {
  const nodes = new Map<string, { type: string; title: string; icon: string }>();
  for (const n of t.document.nodes) {
    const spec = registry.get(n.type, n.version);
    if (spec && !nodes.has(n.type)) nodes.set(n.type, { type: n.type, title: spec.title, icon: spec.icon });
  }
  return {
    slug: t.slug,
    title: t.title,
    summary: t.summary,
    description: t.description,
    category: t.category,
    tags: t.tags,
    nodes: [...nodes.values()],
    credentials: t.credentials.map((c) => ({
      key: c.key,
      label: c.label,
      type: c.type,
      typeTitle: credentialType(c.type)?.title ?? c.type,
    })),
    tables: t.tables.map((x) => ({ key: x.key, name: x.name })),
  };
}

/**
 * A refusal naming the credential key whose id is not one of the caller's workspace, or whose type a target's param
 * does not accept (naming that node and param); undefined when every credential may be used. Tables are checked by
 * resolveTableChoices.
 */
async function credentialRefusal(
  caller: Caller,
  template: LoadedTemplate,
  answers: Pick<TemplateAnswers, 'credentials'>,
) {
  for (const c of template.credentials) {
    const id = answers.credentials?.[c.key];
    if (!id) continue;
    const refuse = (message: string) =>
      apiError(400, `Credential "${c.key}" (${c.label}): ${message}`, undefined, {
        field: { kind: 'credential', key: c.key },
      });
    const found = await getCredential(caller.scope, id);
    if (!found)
      return refuse(
        `${id} is not a credential of this workspace; pick one of this workspace’s ` +
          `${acceptedCredentialTypes(template, c).join(' or ')} credentials or create one.`,
      );
    for (const target of c.targets) {
      const { node, types } = targetParam(template, target);
      if (!types.includes(found.type))
        return refuse(
          `"${found.name}" is a ${found.type} credential; node "${node?.name ?? target.node}" (${target.node}) ` +
            `param "${target.param}" accepts ${types.join(' or ')}.`,
        );
    }
  }
  return undefined;
}

/** What "use template" receives: the answers, with each table as a choice (create one, or one of the workspace). */
export type TemplateUse = Omit<TemplateAnswers, 'tables'> & { tables?: Record<string, TableChoiceAnswer> };

/** The table ids chosen as existing ones; the tables to create have no id until they are made. */
const existingTables = (choices: Record<string, TableChoiceAnswer>) =>
  Object.fromEntries(Object.entries(choices).flatMap(([k, c]) => (c.mode === 'existing' ? [[k, c.tableId]] : [])));

/**
 * "Use template": the document is built here from the template and the answers (never taken from the client), then
 * saved through the same checks as POST /api/workflows. Everything is checked before the tables chosen as new are
 * created, and they are deleted again if the workflow is still refused, so a refusal leaves no table behind.
 * 201 with the workflow, or 400/404/422 naming the problem.
 */
export async function createFromTemplate(caller: Caller, slug: string, use: TemplateUse, ip = ''): Promise<Response> {
  const template = findTemplate(slug);
  if (!template) return apiError(404, `There is no template "${slug.slice(0, 64)}".`);
  const choices = use.tables ?? {};
  const build = (tables: Record<string, string>) => {
    const made = instantiateTemplate(template, { ...use, tables });
    return { name: made.name, document: keepStoredSecrets(made.document, undefined) };
  };
  let draft: { name: string; document: WorkflowDocument };
  try {
    draft = build(existingTables(choices));
  } catch (err) {
    if (err instanceof TemplateError) return apiError(400, err.message, undefined, { field: err.field });
    throw err;
  }
  const refused =
    (await credentialRefusal(caller, template, use)) ?? (await foreignReferenceRefusal(caller.scope, draft.document));
  if (refused) return refused;
  const { name } = draft;
  const refusal = (diagnostics: Diagnostic[], document: WorkflowDocument) =>
    apiError(422, summarizeDiagnostics('Workflow not created', diagnostics, document), diagnostics);
  // Checked before any table is made, so a refused draft creates none (a new table's param is still empty here).
  const early = checkForSave(draft.document, { workflowId: 'new', name });
  if (!early.ok) return refusal(early.diagnostics, draft.document);

  let tables: Awaited<ReturnType<typeof resolveTableChoices>>;
  try {
    tables = await resolveTableChoices(caller, ip, template.tables, choices);
  } catch (err) {
    if (err instanceof TableChoiceError)
      return apiError(400, err.message, undefined, { field: { kind: 'table', key: err.key } });
    throw err;
  }
  const { document } = build(tables.ids);
  const check = checkForSave(document, { workflowId: 'new', name });
  if (!check.ok) {
    await tables.undo();
    return refusal(check.diagnostics, document);
  }
  const workflow = await createWorkflow(caller.scope, { name, ownerId: caller.user.id, document }).catch(
    async (err: unknown) => {
      await tables.undo();
      throw err;
    },
  );
  return json({ workflow: { ...workflow, document: maskSecrets(workflow.document) }, warnings: check.warnings }, 201);
}
