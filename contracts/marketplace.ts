// Marketplace shapes shared by the store, the API and the pages (issue 13, docs/decisions/061): a listing, its
// versions, the manifest that says what a listed workflow needs, and the publisher keys that sign versions.
import type { TemplateTable } from './templates';

export const LISTING_VISIBILITIES = ['workspace', 'instance', 'public'] as const;
/** `workspace`: the publisher's workspace only; `instance`: every workspace here; `public`: also its public catalog. */
export type ListingVisibility = (typeof LISTING_VISIBILITIES)[number];

export const LISTING_PERMISSIONS = ['browser', 'gpu', 'email', 'network'] as const;
export type ListingPermission = (typeof LISTING_PERMISSIONS)[number];

export const LISTING_SORTS = ['installs', 'rating', 'newest'] as const;
export type ListingSort = (typeof LISTING_SORTS)[number];

export const LISTING_LIMITS = {
  title: 120,
  descriptionBytes: 50 * 1024,
  tags: 10,
  tagChars: 40,
  category: 60,
  icon: 64,
  changelogChars: 10_000,
} as const;

/** What a listed workflow needs and may do, derived from its graph: shown before install, never holding secrets. */
export interface ListingManifest {
  /** Each node type and version the graph uses, sorted. */
  nodes: Array<{ type: string; version: number }>;
  /** One entry per credential param: the installer maps a credential of its own of one of `types`. */
  credentials: Array<{ nodeId: string; nodeName: string; param: string; types: string[] }>;
  /** What the trigger asks for (a form trigger's fields). */
  inputs: Array<{ key: string; label: string; type: string; required: boolean }>;
  /**
   * One entry per distinct data table the graph's table params named (their values are emptied in the graph): the
   * installer creates it with these columns or maps one of its own. Absent in versions published before tables were
   * carried (their signed manifest JSON has no such key) and when the graph names no table.
   */
  tables?: ListingTable[];
  /** The Baton version that published it: older ones may lack its node versions. */
  minBatonVersion: string;
  permissions: {
    /** Hosts the HTTP and browser nodes call; `*` when an expression or script decides. Sorted. */
    domains: string[];
    browser: boolean;
    gpu: boolean;
    email: boolean;
  };
}

/** A data table a listed graph needs, shaped as a template's table need (contracts/templates.ts TemplateTable). */
export interface ListingTable {
  /** A slug of the table's name, unique in the manifest: the install body's `tables` key. */
  key: string;
  name: string;
  columns: TemplateTable['columns'];
  /** The table params it fills. */
  targets: Array<{ nodeId: string; param: string }>;
}

/** A listed graph: the workflow document with credential params emptied and secret params removed. */
export interface ListingGraph {
  nodes: Array<{
    id: string;
    type: string;
    version: number;
    name: string;
    position: { x: number; y: number };
    params: Record<string, unknown>;
    disabled?: boolean;
    notes?: string;
  }>;
  edges: Array<{ id: string; source: string; sourcePort: string; target: string; targetPort: string }>;
  settings: Record<string, unknown>;
}

/** The listing fields a version's signature covers. */
export interface ListingCore {
  id: string;
  publisherWorkspaceId: string;
  workflowId: string;
  title: string;
  description: string;
  category: string;
  tags: string[];
  icon: string;
  visibility: ListingVisibility;
}

export interface ListingView extends ListingCore {
  installs: number;
  rating: number | null;
  ratingCount: number;
  featured: boolean;
  unpublished: boolean;
  latestVersion: string | null;
  /** Permissions and node types of the latest version, for cards and filters. */
  permissions: ListingPermission[];
  nodeTypes: string[];
  createdAt: string;
  updatedAt: string;
}

export interface ListingVersionView {
  version: string;
  changelog: string;
  manifest: ListingManifest;
  graph: ListingGraph;
  payloadHash: string;
  keyId: string;
  signerWorkspaceId: string;
  /** Whether the signature verifies against the key, and the key is not revoked. */
  verified: boolean;
  keyStatus: PublisherKeyStatus | 'missing';
  createdAt: string;
  /** The signer's workspace name, or for a version imported from a bundle the name it carried (decision 070). */
  signerName?: string;
  /** The version came in a bundle file: its signer is a key, not a workspace of this instance. */
  imported?: boolean;
  /** Why it does not verify (empty when it does). */
  problem?: string;
}

export type PublisherKeyStatus = 'active' | 'retired' | 'revoked';

export interface PublisherKeyView {
  keyId: string;
  workspaceId: string;
  publicKeyPem: string;
  status: PublisherKeyStatus;
  createdAt: string;
  retiredAt?: string;
  revokedAt?: string;
}

/** A marketplace refusal: `code` picks the HTTP status. */
export class MarketplaceError extends Error {
  constructor(
    readonly code: 'invalid' | 'not-found' | 'conflict' | 'forbidden',
    message: string,
  ) {
    super(message);
    this.name = 'MarketplaceError';
  }
}
