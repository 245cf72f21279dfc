// What the "Use template" wizard's steps share: the template as the page passes it, and the answers so far.
import type { TemplateCredential, TemplateInput, TemplateTable } from '../../../contracts/templates';

/**
 * A credential the wizard asks for, with every credential type its node params accept (never empty; the one the
 * template or listing names first): the picker lists credentials of any of them, and "New" lets the person choose.
 */
export type CredentialNeed = TemplateCredential & { types: string[] };

export interface WizardTemplate {
  slug: string;
  title: string;
  inputs: TemplateInput[];
  credentials: CredentialNeed[];
  tables: TemplateTable[];
}

/** A table answer: a table to create with the template's columns (under this name), or an existing table's id. */
export type TableChoice = { mode: 'create'; name: string } | { mode: 'existing'; id: string };

export interface WizardAnswers {
  name: string;
  inputs: Record<string, string>;
  credentials: Record<string, string>;
  tables: Record<string, TableChoice>;
}

export const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));
