// A run step opening a credential (docs/decisions/037-credential-vault.md): the workspace comes from the run's
// workflow, never from the plan, so a plan or a document copied into another workspace cannot reach this one's
// credentials. Each use is audited (`credential.use`, with the run and node), never with a value.
import { NodeError } from '../nodes/errors';
import { recordAudit } from './audit';
import { CredentialError, decryptCredential, type DecryptedCredential } from './credentials';
import { workspaceOfWorkflow } from './workflows';

export interface CredentialUse {
  runId: string;
  workflowId: string;
  nodeId: string;
}

/** Another attempt cannot make a missing or undecryptable credential usable: the step fails at once. */
const unusable = (message: string) => new NodeError(message, { code: 'credential-unavailable', retryable: false });

export async function openCredentialForRun(use: CredentialUse, id: string): Promise<DecryptedCredential> {
  const workspaceId = await workspaceOfWorkflow(use.workflowId);
  if (!workspaceId)
    throw unusable(`Credential ${id} cannot be used: the run's workflow ${use.workflowId} was deleted.`);
  let credential: DecryptedCredential;
  try {
    credential = await decryptCredential(workspaceId, id);
  } catch (err) {
    throw err instanceof CredentialError ? unusable(err.message) : err;
  }
  await recordAudit({
    workspaceId,
    actor: { id: 'system', name: 'Run', via: 'system' },
    action: 'credential.use',
    target: { kind: 'credential', id: credential.id, name: credential.name },
    change: { runId: use.runId, workflowId: use.workflowId, nodeId: use.nodeId },
  });
  return credential;
}
