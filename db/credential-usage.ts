// Which workflows of a workspace use which credentials: a node param holding a credential id, in the draft or in
// the published version (which is what runs). Read for the credentials page ("used by N workflows") and to warn
// before a credential in use is deleted.
import mongoose from 'mongoose';
import type { WorkspaceScope } from './workspaces';

export interface CredentialUser {
  workflowId: string;
  workflowName: string;
  /** The nodes holding the credential, by name, from the draft and the published version. */
  nodes: string[];
}

const CREDENTIAL_ID = /^cred_[0-9a-f-]{36}$/;

interface DocNode {
  name?: unknown;
  params?: Record<string, unknown>;
}

/** credential id → node names, for one workflow document (as stored: JSON text). */
function credentialsIn(documentJson: string | undefined, into: Map<string, Set<string>>): void {
  if (!documentJson || !documentJson.includes('cred_')) return;
  let nodes: unknown;
  try {
    nodes = (JSON.parse(documentJson) as { nodes?: unknown }).nodes;
  } catch {
    return;
  }
  if (!Array.isArray(nodes)) return;
  for (const node of nodes as DocNode[]) {
    for (const value of Object.values(node?.params ?? {})) {
      if (typeof value !== 'string' || !CREDENTIAL_ID.test(value)) continue;
      const names = into.get(value) ?? new Set<string>();
      names.add(typeof node.name === 'string' ? node.name : '(unnamed node)');
      into.set(value, names);
    }
  }
}

/** Every credential id used in the workspace → the workflows using it, by workflow name. */
export async function credentialUsers(scope: WorkspaceScope): Promise<Map<string, CredentialUser[]>> {
  const db = mongoose.connection.db;
  if (!db) throw new Error('Not connected to the database.');
  const workflows = await db
    .collection('workflows')
    .find(
      { workspaceId: scope.workspaceId },
      { projection: { name: 1, documentJson: 1, publishedVersion: 1, archivedAt: 1 } },
    )
    .toArray();
  const live = workflows.filter((w) => !w.archivedAt);
  const published = await Promise.all(
    live.map((w) =>
      typeof w.publishedVersion === 'number'
        ? db
            .collection('workflow_versions')
            .findOne({ workflowId: String(w._id), version: w.publishedVersion }, { projection: { documentJson: 1 } })
        : null,
    ),
  );
  const users = new Map<string, CredentialUser[]>();
  live.forEach((workflow, i) => {
    const found = new Map<string, Set<string>>();
    credentialsIn(workflow.documentJson as string | undefined, found);
    credentialsIn(published[i]?.documentJson as string | undefined, found);
    for (const [credentialId, nodes] of found) {
      const list = users.get(credentialId) ?? [];
      list.push({ workflowId: String(workflow._id), workflowName: String(workflow.name), nodes: [...nodes].sort() });
      users.set(credentialId, list);
    }
  });
  for (const list of users.values()) list.sort((a, b) => a.workflowName.localeCompare(b.workflowName));
  return users;
}
