// People, a workspace and a published workflow for approval tests: real users, memberships and groups in the test's
// database, and runs with records (who started them) as the web would create.
import { randomUUID } from 'node:crypto';
import type { ApprovalRequest } from '../contracts/approvals';
import { getApprovalUnscoped } from '../db/approvals';
import { createRun } from '../db/runs';
import { createUser, type User } from '../db/users';
import { createWorkflow, publishVersion } from '../db/workflows';
import { addMember, createWorkspace, saveGroup, systemScope, type WorkspaceScope } from '../db/workspaces';
import type { WorkflowDocument } from '../ir/types';
import { approvalIdOf } from '../workflows/approvals';
import { startRun } from '../temporal/client';
import { compileOrThrow } from './run-harness';

export interface ApprovalWorld {
  scope: WorkspaceScope;
  /** By short name: owner, publisher, starter, ana, ben, cy, hr1, hr2, boss. */
  users: Record<string, User>;
  /** Publishes `doc` as a new workflow (by `publisher`) and starts a run of it by `starter`; returns the run id. */
  startRun(doc: WorkflowDocument, trigger?: unknown, limits?: { loopHistoryEvents?: number }): Promise<string>;
  /** The request of `nodeId` in the run (iteration k inside loops), once it is stored and matches `until`. */
  approval(
    runId: string,
    nodeId: string,
    iteration?: number,
    until?: (r: ApprovalRequest) => boolean,
  ): Promise<ApprovalRequest>;
}

export async function waitFor<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function createApprovalWorld(): Promise<ApprovalWorld> {
  const tag = randomUUID().slice(0, 8);
  const names = ['owner', 'publisher', 'starter', 'ana', 'ben', 'cy', 'hr1', 'hr2', 'boss'];
  const users: Record<string, User> = {};
  for (const name of names)
    users[name] = await createUser({ email: `${name}-${tag}@acme.test`, name, password: 'correct horse battery' });
  const workspace = await createWorkspace({ name: `Approvals ${tag}`, ownerId: users.owner.id });
  const scope = systemScope(workspace.id);
  for (const name of names.slice(1))
    await addMember(workspace.id, users[name].id, name === 'boss' ? 'admin' : 'approver');
  await saveGroup(scope, {
    slug: 'reviewers',
    name: 'Reviewers',
    userIds: [users.ana.id, users.ben.id, users.cy.id, users.starter.id],
  });
  await saveGroup(scope, { slug: 'hr', name: 'HR', userIds: [users.hr1.id, users.hr2.id] });
  let counter = 0;
  return {
    scope,
    users,
    startRun: async (doc, trigger = {}, limits) => {
      const workflow = await createWorkflow(scope, {
        name: `Approval flow ${++counter}`,
        ownerId: users.owner.id,
        document: doc,
      });
      const plan = compileOrThrow(doc, workflow.id, workflow.name);
      await publishVersion(scope, {
        workflowId: workflow.id,
        document: doc,
        planHash: plan.hash,
        createdBy: users.publisher.id,
      });
      const runId = `apr-${tag}-${counter}-${Date.now()}`;
      await createRun({
        runId,
        workspaceId: workspace.id,
        workflowId: workflow.id,
        workflowVersion: 1,
        planHash: plan.hash,
        trigger,
        mode: 'manual',
        startedBy: users.starter.id,
      });
      await startRun({ runId, plan, trigger, limits });
      return runId;
    },
    approval: (runId, nodeId, iteration = 0, until = () => true) =>
      waitFor(`approval ${nodeId} of ${runId}`, async () => {
        const found = await getApprovalUnscoped(approvalIdOf(runId, nodeId, iteration));
        return found && until(found) ? found : undefined;
      }),
  };
}
