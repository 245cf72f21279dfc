// The one authorization table (issue 8, decision 036): what each API route, page and socket room needs. `apiHandler`,
// `requirePageCaller` and the socket server read it; the matrix test (app/authorization-matrix.test.ts) generates
// its cases from it and fails for a route file whose method has no rule here.
//
// A rule is a permission from contracts/permissions.ts, checked against the caller's role in the workspace that
// owns the object (and capped by an API token's scopes), or:
// - 'signed-in': any signed-in member of some workspace (their own account, their own tokens);
// - 'public': no sign-in (first-run setup; webhooks and resume links authenticate themselves).
import type { Permission } from '../../contracts/permissions';

export type AccessRule = Permission | 'signed-in' | 'public';

/** `METHOD /api/path/:param` → rule. Patterns follow the Remix file names (`$id` → `:id`). */
export const API_RULES = {
  'GET /api/me': 'signed-in',
  'POST /api/setup': 'public',
  'GET /api/tokens': 'signed-in',
  'POST /api/tokens': 'signed-in',
  'DELETE /api/tokens/:id': 'signed-in',
  'GET /api/sessions': 'signed-in',
  'DELETE /api/sessions': 'signed-in',
  'DELETE /api/sessions/:id': 'signed-in',
  'POST /api/me/password': 'signed-in',
  'DELETE /api/members/:userId/sessions': 'member.manage',
  'POST /api/members/:userId/reset': 'member.manage',
  'GET /api/nodes': 'signed-in',
  'GET /api/audit': 'audit.read',
  // Unknown /api paths: a JSON 404 for anyone signed in.
  'GET /api/*': 'signed-in',
  'POST /api/*': 'signed-in',
  'PUT /api/*': 'signed-in',
  'PATCH /api/*': 'signed-in',
  'DELETE /api/*': 'signed-in',

  'GET /api/workflows': 'workspace.read',
  'POST /api/workflows': 'workflow.write',
  'POST /api/workflows/import-n8n': 'workflow.write',
  'GET /api/workflows/:id': 'workspace.read',
  'PUT /api/workflows/:id': 'workflow.write',
  'PATCH /api/workflows/:id': 'workflow.write',
  'DELETE /api/workflows/:id': 'workflow.write',
  'POST /api/workflows/:id/publish': 'workflow.write',
  'POST /api/workflows/:id/unpublish': 'workflow.write',
  'GET /api/workflows/:id/versions': 'workspace.read',
  // The picture of the current graph (docs/decisions/064): whoever may read the workflow.
  'GET /api/workflows/:id/preview': 'workspace.read',
  'GET /api/workflows/:id/schedule': 'workspace.read',
  'POST /api/workflows/:id/schedule/pause': 'workflow.write',
  'POST /api/workflows/:id/schedule/resume': 'workflow.write',
  'POST /api/workflows/:id/schedule/run-now': 'run.start',
  'POST /api/workflows/:id/schedule/backfill': 'run.start',

  'GET /api/runs': 'workspace.read',
  'POST /api/runs': 'run.start',
  'GET /api/runs/:id': 'workspace.read',
  'GET /api/runs/:id/export': 'workspace.read',
  'POST /api/runs/bulk': 'run.control',
  'GET /api/runs/:id/steps': 'workspace.read',
  'GET /api/runs/:id/steps/:nodeId/:field': 'workspace.read',
  'GET /api/runs/:id/output': 'workspace.read',
  'GET /api/runs/:id/waits': 'workspace.read',
  'GET /api/runs/:id/agent-calls': 'workspace.read',

  'GET /api/models': 'workspace.read',
  'POST /api/models': 'credential.write',
  'GET /api/models/:id': 'workspace.read',
  'PUT /api/models/:id': 'credential.write',
  'DELETE /api/models/:id': 'credential.write',
  'POST /api/models/:id/probe': 'credential.write',
  'GET /api/ai-settings': 'workspace.read',
  'PUT /api/ai-settings': 'credential.write',
  'GET /api/agent-activity': 'workspace.read',
  'GET /api/ai-usage': 'workspace.read',
  'POST /api/runs/:id/cancel': 'run.control',
  'POST /api/runs/:id/terminate': 'run.control',
  'POST /api/runs/:id/resume': 'run.control',
  'GET /api/runs/:id/retry-plan': 'workspace.read',
  'POST /api/runs/:id/retry': 'run.start',
  'POST /api/runs/:id/rerun': 'run.start',
  'POST /api/runs/retry': 'run.start',

  // Chats (issue 11): a conversation is a run the caller starts, and each message steers it; reading one is reading a
  // run. Any member who may start runs may write into the workspace's chats; the list holds the caller's own.
  'GET /api/chat/:workflowId/sessions': 'workspace.read',
  'POST /api/chat/:workflowId/sessions': 'run.start',
  'GET /api/chat/sessions/:runId': 'workspace.read',
  'POST /api/chat/sessions/:runId/messages': 'run.start',
  'POST /api/chat/sessions/:runId/close': 'run.start',

  // Files (docs/decisions/046): read like the runs that made them; uploads (templates) are workflow edits.
  'GET /api/files/:fileId': 'workspace.read',
  'POST /api/files': 'workflow.write',

  // Approvals: the caller's inbox and decisions. Whether the caller is an eligible approver of a request is decided
  // by its run (the Update validator), after this rule lets the caller try.
  'GET /api/approvals': 'approval.decide',
  'GET /api/approvals/:id': 'workspace.read',
  'POST /api/approvals/:id/decision': 'approval.decide',
  'POST /api/approvals/:id/delegate': 'approval.decide',
  'POST /api/approvals/decisions': 'approval.decide',
  // Browser takeovers (docs/decisions/059): read like approvals; finishing one needs approval.decide and being one of
  // the people the task asks, which the route checks after this rule.
  'GET /api/takeovers/:id': 'workspace.read',
  'GET /api/runs/:id/takeovers': 'workspace.read',
  'POST /api/takeovers/:id/decision': 'approval.decide',

  // Data tables (docs/decisions/050): read by anyone who sees the workspace, changed by those who build workflows.
  'GET /api/data-tables': 'workspace.read',
  'POST /api/data-tables': 'workflow.write',
  'GET /api/data-tables/:id': 'workspace.read',
  'PATCH /api/data-tables/:id': 'workflow.write',
  'DELETE /api/data-tables/:id': 'workflow.write',
  'POST /api/data-tables/:id/columns': 'workflow.write',
  'PATCH /api/data-tables/:id/columns/:columnId': 'workflow.write',
  'DELETE /api/data-tables/:id/columns/:columnId': 'workflow.write',
  'GET /api/data-tables/:id/rows': 'workspace.read',
  'POST /api/data-tables/:id/rows': 'workflow.write',
  'PATCH /api/data-tables/:id/rows/:rowId': 'workflow.write',
  'DELETE /api/data-tables/:id/rows/:rowId': 'workflow.write',

  // Templates (docs/decisions/051): the catalog is the same for every workspace; using one creates a workflow.
  'GET /api/templates': 'workspace.read',
  'GET /api/templates/:slug': 'workspace.read',
  'POST /api/templates/:slug/workflows': 'workflow.write',

  // Marketplace (docs/decisions/061): browsing reads, publishing edits workflows, signing keys are the admins'.
  'GET /api/marketplace/listings': 'workspace.read',
  'POST /api/marketplace/listings': 'workflow.write',
  'GET /api/marketplace/listings/:id': 'workspace.read',
  'POST /api/marketplace/listings/:id/versions': 'workflow.write',
  'GET /api/marketplace/keys': 'workspace.read',
  'POST /api/marketplace/keys/rotate': 'workspace.admin',
  'POST /api/marketplace/keys/:keyId/revoke': 'workspace.admin',
  // Signed bundles (docs/decisions/070): exporting reads a listing the caller sees; importing makes a listing.
  'GET /api/marketplace/listings/:id/versions/:version/bundle': 'workspace.read',
  'POST /api/marketplace/bundles': 'workflow.write',
  // Listing tests (docs/decisions/072): any viewer reads this instance's result; running or attaching them builds.
  'GET /api/marketplace/listings/:id/versions/:version/tests': 'workspace.read',
  'POST /api/marketplace/listings/:id/versions/:version/tests': 'workflow.write',
  'POST /api/marketplace/listings/:id/versions/:version/tests/attach': 'workflow.write',
  // The editor's "Publish to marketplace": the listings made from a workflow, read like it (docs/decisions/068).
  'GET /api/workflows/:id/listings': 'workspace.read',
  // Installs and updates (docs/decisions/069): installing makes a workflow, updating and rolling back change its draft.
  'GET /api/marketplace/listings/:id/install': 'workspace.read',
  'POST /api/marketplace/listings/:id/install': 'workflow.write',
  'GET /api/workflows/:id/marketplace': 'workspace.read',
  'GET /api/workflows/:id/marketplace/update': 'workspace.read',
  'POST /api/workflows/:id/marketplace/update': 'workflow.write',
  'POST /api/workflows/:id/marketplace/rollback': 'workflow.write',
  // Reviews and reports (docs/decisions/071) are the caller's own words about a listing they can see, not changes to
  // a workspace: sight is enough. Moderation is for instance admins, which no workspace role grants: the routes check
  // it (app/lib/instance-admins.server.ts) after sign-in.
  'GET /api/marketplace/listings/:id/reviews': 'workspace.read',
  'PUT /api/marketplace/listings/:id/reviews': 'workspace.read',
  'DELETE /api/marketplace/listings/:id/reviews': 'workspace.read',
  'POST /api/marketplace/listings/:id/reports': 'workspace.read',
  'GET /api/marketplace/moderation/queue': 'signed-in',
  'POST /api/marketplace/moderation/listings/:id': 'signed-in',
  'POST /api/marketplace/moderation/reports/:id': 'signed-in',

  'GET /api/credential-types': 'signed-in',
  'GET /api/credentials': 'credential.read',
  'POST /api/credentials': 'credential.write',
  'POST /api/credentials/connection-test': 'credential.write',
  'GET /api/credentials/:id': 'credential.read',
  'PATCH /api/credentials/:id': 'credential.write',
  'PUT /api/credentials/:id': 'credential.write',
  'DELETE /api/credentials/:id': 'credential.write',
  'GET /api/credentials/:id/usage': 'credential.read',
  'POST /api/credentials/:id/connection-test': 'credential.write',
  // Saved browser sessions hold sign-ins, so they follow the credentials' rules (docs/decisions/060).
  'GET /api/browser-sessions': 'credential.read',
  'DELETE /api/browser-sessions/:name': 'credential.write',
  'PATCH /api/browser-sessions/:name': 'credential.write',

  'GET /api/workspaces': 'signed-in',
  'POST /api/workspaces': 'signed-in',
  'PATCH /api/workspaces/:id': 'workspace.admin',
  'POST /api/workspaces/:id/switch': 'signed-in',
  'GET /api/members': 'workspace.read',
  'PATCH /api/members/:userId': 'member.manage',
  'DELETE /api/members/:userId': 'member.manage',
  'GET /api/invites': 'member.manage',
  'POST /api/invites': 'member.manage',
  'DELETE /api/invites/:id': 'member.manage',
  'GET /api/groups': 'workspace.read',
  'POST /api/groups': 'member.manage',
  'GET /api/groups/:slug': 'workspace.read',
  'PUT /api/groups/:slug': 'member.manage',
  'DELETE /api/groups/:slug': 'member.manage',
  'POST /api/groups/:slug/members': 'member.manage',
  'DELETE /api/groups/:slug/members/:userId': 'member.manage',
} as const satisfies Record<string, AccessRule>;

export type ApiRoute = keyof typeof API_RULES;

/** Pages (loader, and action where the page has one) → rule. */
export const PAGE_RULES = {
  '/': 'workspace.read',
  '/workflows/:id': 'workspace.read',
  '/workflows/:id/runs': 'workspace.read',
  '/runs': 'workspace.read',
  '/runs/:id': 'workspace.read',
  '/login': 'public',
  '/logout': 'public',
  '/setup': 'public',
  '/credentials': 'credential.read',
  '/tables': 'workspace.read',
  '/tables/:id': 'workspace.read',
  '/models': 'workspace.read',
  '/agents': 'workspace.read',
  '/templates': 'workspace.read',
  '/templates/:slug': 'workspace.read',
  // The marketplace (docs/decisions/068): what the listings API shows, as pages.
  '/marketplace': 'workspace.read',
  '/marketplace/:id': 'workspace.read',
  // Marketplace moderation (docs/decisions/071): instance admins only, checked by the page (404 for anyone else).
  '/marketplace/moderation': 'signed-in',
  '/account': 'signed-in',
  // The reset link is its own credential (single use, one hour).
  '/reset/:token': 'public',
  '/audit': 'audit.read',
  '/settings/members': 'member.manage',
  // The invite link is its own credential; accepting signs the invitee in.
  '/invite/:token': 'public',
  '/inbox': 'approval.decide',
  '/approvals/:id': 'workspace.read',
  '/takeovers/:id': 'workspace.read',
  // An approval email's link is its own credential (signed per approver and request, expiring); GET only shows
  // the request, POST decides.
  '/approvals/link/:token': 'public',
  // A hosted form is public like a webhook; its Form trigger says who may use it (anyone, a password checked here,
  // or signed-in members of its workspace), and a run's later pages open only with the link signed for that run.
  '/form/:workflowId': 'public',
  '/form/run/:runId/:signature': 'public',
  // A workflow's chat page: members who may start runs (each conversation is one); no public chats yet.
  '/chat/:workflowId': 'run.start',
} as const satisfies Record<string, AccessRule>;

export type PageRoute = keyof typeof PAGE_RULES;

/** Page actions (form posts) that change something → rule; a page's action may need more than reading it. */
export const PAGE_ACTION_RULES = {
  '/': 'workflow.write',
  '/account': 'signed-in',
  '/settings/members': 'member.manage',
} as const satisfies Partial<Record<PageRoute, AccessRule>>;

export type PageActionRoute = keyof typeof PAGE_ACTION_RULES;

/** Socket.io rooms: joining one needs this permission in the workspace that owns the run or workflow. */
export const ROOM_RULES = {
  run: 'workspace.read',
  workflow: 'workspace.read',
  // A user's own approval events (their inbox badge): only that user joins it, in a workspace they may decide in.
  user: 'approval.decide',
  // Every model and tool call of the workspace's agents, for the activity feed.
  agents: 'workspace.read',
  // A takeover's live browser (docs/decisions/059): watching drives the page, so only people the task asks join.
  takeover: 'approval.decide',
} as const satisfies Record<string, AccessRule>;

export type RoomKind = keyof typeof ROOM_RULES;

/** The rule for a method on a pattern; undefined when none is declared (the caller must then refuse). */
export function apiRuleFor(method: string, pattern: string): AccessRule | undefined {
  return (API_RULES as Record<string, AccessRule>)[`${method} ${pattern}`];
}
