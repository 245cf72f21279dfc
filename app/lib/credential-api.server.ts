// What the /api/credentials routes share: the body schemas, the answer for a vault error, the types list for the
// credentials page, and the audit entry of a change. No route answers with a secret value (decision 037).
import { z } from 'zod';
import { recordAudit, type AuditAction } from '../../db/audit';
import { CredentialError, type CredentialView } from '../../db/credentials';
import type { CredentialUser } from '../../db/credential-usage';
import { isSecretField } from '../../nodes/credentials/define';
import { CREDENTIAL_TYPES } from '../../nodes/credentials/index';
import type { Caller } from './caller.server';
import { apiError } from './http.server';

const values = z.record(z.string().max(200), z.unknown());

export const createBody = z.object({
  name: z.string(),
  type: z.string().max(100),
  values: values.default({}),
});

export const updateBody = z.object({
  name: z.string().optional(),
  /** Fields to change; a blank secret keeps the stored one. */
  values: values.optional(),
  /** Secret fields to empty. */
  clear: z.array(z.string().max(200)).max(50).optional(),
});

export const testBody = z.object({ type: z.string().max(100), values: values.default({}) });

export const testStoredBody = z.object({ values: values.optional() }).default({});

/** A credential as the API answers with it, with the workflows using it. */
export function credentialJson(view: CredentialView, usedBy: CredentialUser[] = []) {
  return { ...view, usedBy };
}

/** The response for a vault error, else rethrows: invalid → 400 naming each field, conflict → 409. */
export function credentialFailure(err: unknown): Response {
  if (!(err instanceof CredentialError)) throw err;
  if (err.code === 'invalid') {
    const named = err.issues.map((i) => `${i.field}: ${i.message}`).join('; ');
    return apiError(400, `Invalid credential: ${named || err.message}.`, undefined, { fields: err.issues });
  }
  if (err.code === 'not-found') return apiError(404, err.message);
  return apiError(409, err.message);
}

export const notFound = (id: unknown) =>
  apiError(404, `No credential ${String(id)} in this workspace; it may have been deleted.`);

/** The registry's credential types, for forms: fields in order, secret ones marked, no functions. */
export function credentialTypeList() {
  return CREDENTIAL_TYPES.map((type) => ({
    type: type.type,
    title: type.title,
    description: type.description,
    testable: Boolean(type.test),
    fields: Object.entries(type.fields).map(([key, def]) => ({
      key,
      ui: def.ui,
      default: def.default,
      secret: isSecretField(def),
    })),
  }));
}

export type CredentialTypeInfo = ReturnType<typeof credentialTypeList>[number];

export function auditCredential(
  caller: Caller,
  ip: string,
  action: Extract<AuditAction, `credential.${string}`>,
  credential: Pick<CredentialView, 'id' | 'name' | 'type'>,
  change: Record<string, unknown> = {},
): Promise<void> {
  return recordAudit({
    workspaceId: caller.scope.workspaceId,
    actor: { id: caller.user.id, name: caller.user.name, via: caller.via },
    action,
    target: { kind: 'credential', id: credential.id, name: credential.name },
    ip,
    change: { type: credential.type, ...change },
  });
}
