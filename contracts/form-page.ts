// Hosted forms (docs/decisions/049-forms.md): the page a Form trigger or a Form node shows, as its params describe
// it. Pure: the node specs build it, the web serves it (app/routes/form.*), and the page renders it.
import type { ApprovalFormField } from './approvals';

/** The fields are the Approval node's form fields (same widgets, same checks: contracts/approval-rules.ts). */
export type FormField = ApprovalFormField;

/** One page of a form. */
export interface FormPage {
  title: string;
  /** Plain text shown under the title; line breaks kept, never read as HTML. */
  description?: string;
  fields: FormField[];
  submitLabel: string;
  /** The largest file a file field accepts. */
  maxFileBytes: number;
}

/** Who may open a Form trigger's page. */
export type FormAccess =
  | { kind: 'public' }
  /** A shared password, kept in a credential of the workflow's workspace (encrypted at rest, never in the plan). */
  | { kind: 'password'; credentialId: string }
  /** Signed-in members of the workflow's workspace; the run records who submitted. */
  | { kind: 'members' };

/** What the person sees once the form is complete: a message, or another site. */
export type FormEnding = { kind: 'message'; text: string } | { kind: 'redirect'; url: string };

/** A Form trigger's page, who may open it, and how it ends. */
export interface FormTriggerPage extends FormPage {
  access: FormAccess;
  ending: FormEnding;
}

/** Files together may not pass this per submission, whatever each field allows: it bounds a request's memory. */
export const MAX_FORM_FILES_BYTES = 50 * 1024 * 1024;
/** The largest per-file limit a form may set. */
export const MAX_FORM_FILE_BYTES = 25 * 1024 * 1024;
