// The bytes a listing version's signature covers: canonical JSON of the listing's core fields, the version, its
// changelog, manifest and graph. Installs and bundle imports rebuild them from what they received and verify.
import type { ListingCore, ListingGraph, ListingManifest } from '../../contracts/marketplace';
import { canonicalJson } from '../canonical-json';
import { sha256Hex } from '../sha256';

export interface SignedContent {
  listing: ListingCore;
  version: string;
  changelog: string;
  manifest: ListingManifest;
  graph: ListingGraph;
}

export function canonicalPayload(content: SignedContent): string {
  const { id, publisherWorkspaceId, workflowId, title, description, category, tags, icon, visibility } =
    content.listing;
  return canonicalJson({
    listing: { id, publisherWorkspaceId, workflowId, title, description, category, tags, icon, visibility },
    version: content.version,
    changelog: content.changelog,
    manifest: content.manifest,
    graph: content.graph,
  });
}

export function payloadHash(payload: string): string {
  return sha256Hex(payload);
}
