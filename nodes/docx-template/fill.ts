// docxtemplater over a template's bytes: `{a.b}` reads nested values (own properties only), line breaks in values
// become line breaks, and placeholders without a value are collected and refused together, by name.
import Docxtemplater from 'docxtemplater';
import { DocumentFieldError } from '../documents/errors';
import { openOfficeZip } from '../documents/files';

interface Part {
  value: string;
  module?: string;
}

/** `{employee.name}` → scope.employee.name; `{.}` → the scope itself. Undefined when any step is missing. */
function parser(tag: string) {
  const path = tag.trim() === '.' ? [] : tag.trim().split('.');
  return {
    get(scope: unknown) {
      let at = scope;
      for (const key of path) {
        if (typeof at !== 'object' || at === null || !Object.hasOwn(at, key)) return undefined;
        at = (at as Record<string, unknown>)[key];
      }
      return at;
    },
  };
}

type TemplateErrorDetail = { properties?: { explanation?: string; errors?: TemplateErrorDetail[] } };

export function fillTemplate(template: Buffer, data: unknown): Buffer {
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new DocumentFieldError(
      'Data',
      `must be an object of placeholder values by name, not ${Array.isArray(data) ? 'a list' : JSON.stringify(data)}`,
    );
  const zip = openOfficeZip(template, 'Template', 'DOCX');
  const missing = new Map<string, string>();
  let doc: Docxtemplater;
  try {
    doc = new Docxtemplater(zip, {
      paragraphLoop: true,
      linebreaks: true,
      errorLogging: false, // the error is the step's, named by field; the worker's log needs no copy
      parser,
      nullGetter(part: Part, scope?: { scopePath?: string[] }) {
        // A missing loop or condition section is simply left out, as docxtemplater does by default.
        if (part.module === 'loop') return '';
        const inLoop = scope?.scopePath?.length ? ` (in {#${scope.scopePath.join('}, {#')}})` : '';
        missing.set(`{${part.value}}${inLoop}`, part.value);
        return '';
      },
    });
  } catch (err) {
    const details = ((err as TemplateErrorDetail).properties?.errors ?? [err as TemplateErrorDetail])
      .map((e) => e.properties?.explanation)
      .filter(Boolean);
    throw new DocumentFieldError(
      'Template',
      `has errors in its placeholders: ${details.length ? details.slice(0, 5).join('; ') : (err as Error).message}`,
    );
  }
  doc.render(data);
  if (missing.size > 0) {
    const names = [...missing.keys()].slice(0, 10);
    throw new DocumentFieldError(
      'Data',
      `the template's placeholder${names.length > 1 ? 's' : ''} ${names.join(', ')} ${names.length > 1 ? 'have' : 'has'} no value; add ${[
        ...new Set(missing.values()),
      ]
        .slice(0, 10)
        .map((n) => JSON.stringify(n))
        .join(', ')} to Data, or remove ${names.length > 1 ? 'them' : 'it'} from the template`,
    );
  }
  return doc.getZip().generate({ type: 'nodebuffer', compression: 'DEFLATE' });
}
