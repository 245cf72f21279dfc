// Installing marketplace listings and keeping installed workflows up to date (issue 13, docs/decisions/069): what the
// install wizard, the editor's update notice and their API routes exchange. Documents travel as plain JSON (the
// workflow schema lives in ir/, which contracts/ does not import); the browser merges them with ir/merge/three-way.

/** POST /api/marketplace/listings/:id/install. */
export interface InstallRequest {
  /** The version to install; the listing's latest when absent. */
  version?: string;
  /** The new workflow's name; the listing's title when absent. */
  name?: string;
  /** `<nodeId>.<param>` of a manifest credential entry → a credential id of the caller's workspace. */
  credentials: Record<string, string>;
  /** Manifest table key → a table to create with the manifest's columns, or a data table of the caller's workspace. */
  tables?: Record<string, { mode: 'create'; name: string } | { mode: 'existing'; tableId: string }>;
}

/** One update or rollback of an installed workflow, newest last. */
export interface InstallHistoryEntry {
  /** What happened: an update from `version` to `toVersion`, or a rollback to `toVersion`. */
  action: 'update' | 'rollback';
  version: string;
  toVersion: string;
  at: string;
  by: string;
}

export interface InstallView {
  workflowId: string;
  workspaceId: string;
  listingId: string;
  /** The listing version the workflow is based on now. */
  version: string;
  installedAt: string;
  by: string;
  updatedAt: string;
  history: InstallHistoryEntry[];
  /** The version "Roll back" restores; null when there is no update to undo. */
  rollbackTo: string | null;
}

/** What the wizard needs before installing: who signed, what this workspace installed, why a version cannot install. */
export interface InstallPreflight {
  publisher: { workspaceId: string; name: string };
  batonVersion: string;
  installed: Array<{ workflowId: string; workflowName: string; version: string; installedAt: string }>;
  /** Per version: the reasons it cannot be installed here (empty: it can). */
  problems: Record<string, string[]>;
}

/** GET /api/workflows/:id/marketplace: null fields when the workflow was not installed from the marketplace. */
export interface WorkflowMarketplaceStatus {
  listingId: string | null;
  listingTitle: string | null;
  installedVersion: string | null;
  latestVersion: string | null;
  hasUpdate: boolean;
  rollbackTo: string | null;
}

/** GET /api/workflows/:id/marketplace/update?version=: the three documents to merge, and what the update says. */
export interface UpdatePreview {
  listingId: string;
  listingTitle: string;
  fromVersion: string;
  toVersion: string;
  changelog: string;
  /** The workflow's revision the preview was made from: POST refuses the update when the draft changed since. */
  revision: number;
  base: unknown;
  ours: unknown;
  theirs: unknown;
  /** Node id → credential param names of the update whose emptied values keep the user's mapping. */
  keptCredentials: Array<{ nodeId: string; param: string }>;
}

/** One conflict's resolution, as ir/merge/three-way.ts ConflictChoice. */
export type UpdateChoice = 'ours' | 'theirs' | { value: unknown };

/** POST /api/workflows/:id/marketplace/update. */
export interface UpdateRequest {
  version: string;
  revision: number;
  choices: Record<string, UpdateChoice>;
}
