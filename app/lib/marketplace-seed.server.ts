// Official marketplace listings (docs/decisions/068): each template of templates/ is listed by the built-in "Baton"
// publisher workspace, visible to every workspace of this instance. Seeded at web start, idempotently: a listing's id
// is fixed per template, a template whose graph changed gets a new patch version, and anything else is left alone.
// A template that cannot become a listing (an unknown node) is skipped with its reason; seeding never stops the server.
import type { ListingGraph, ListingManifest } from '../../contracts/marketplace';
import { MarketplaceError } from '../../contracts/marketplace';
import {
  addVersion,
  createListing,
  dropLegacyTokenIndex,
  getListing,
  listingVersions,
} from '../../db/marketplace-listings';
import { isDuplicateKey } from '../../db/duplicate-key';
import { ensureMemberlessWorkspace } from '../../db/workspaces';
import { canonicalJson } from '../../ir/canonical-json';
import { listingGraphOf, manifestOf } from '../../ir/marketplace/manifest';
import { parseSemver } from '../../ir/marketplace/semver';
import { currentBatonVersion, indexListingSearchAtStart } from './marketplace.server';
import { templateLibrary, type LoadedTemplate } from './templates.server';

/** The publisher of the official listings: a workspace nobody is a member of, so nobody but seeding writes to it. */
export const BATON_PUBLISHER = { id: 'ws_baton', name: 'Baton' } as const;

export const officialListingId = (slug: string) => `lst_baton_${slug}`;
/** Official listings come from a template, not from a workflow of the publisher's. */
export const officialWorkflowId = (slug: string) => `template:${slug}`;

export interface SeedReport {
  created: string[];
  updated: Array<{ slug: string; version: string }>;
  unchanged: string[];
  skipped: Array<{ slug: string; reason: string }>;
}

/** The README without its first heading when that is the title: the listing page shows the title already. */
function descriptionOf(template: LoadedTemplate): string {
  const readme = template.readme.trim();
  if (!readme) return template.description;
  const lines = readme.split('\n');
  if (/^#\s+/.test(lines[0])) return lines.slice(1).join('\n').trim();
  return readme;
}

/**
 * What decides whether a template changed: its stripped graph and its manifest without the Baton version, so that
 * upgrading Baton does not release every official listing again.
 */
function fingerprintOf(graph: ListingGraph, manifest: ListingManifest): string {
  const { minBatonVersion: _ignored, ...rest } = manifest;
  return canonicalJson({ graph, manifest: rest });
}

/** The template's table needs (its targets name the nodes' table params) as the manifest's `tables`. */
function withTemplateTables(manifest: ListingManifest, template: LoadedTemplate): ListingManifest {
  if (!template.tables.length) return manifest;
  const tables = template.tables.map((t) => ({
    key: t.key,
    name: t.name,
    columns: t.columns,
    targets: t.targets.map((target) => ({ nodeId: target.node, param: target.param })),
  }));
  return { ...manifest, tables };
}

function nextPatch(version: string): string {
  const v = parseSemver(version);
  return `${v.major}.${v.minor}.${v.patch + 1}`;
}

/** A version raced by another process seeding at the same moment: its listing or version exists now. */
const lostRace = (err: unknown) => isDuplicateKey(err) || (err instanceof MarketplaceError && err.code === 'conflict');

async function seedOne(template: LoadedTemplate, batonVersion: string, report: SeedReport): Promise<void> {
  let graph: ListingGraph;
  let manifest: ListingManifest;
  try {
    graph = listingGraphOf(template.document);
    manifest = withTemplateTables(manifestOf(template.document, batonVersion), template);
  } catch (err) {
    if (!(err instanceof MarketplaceError)) throw err;
    report.skipped.push({ slug: template.slug, reason: err.message });
    return;
  }
  const id = officialListingId(template.slug);
  const existing = await getListing(id);
  try {
    if (!existing) {
      await createListing({
        id,
        publisherWorkspaceId: BATON_PUBLISHER.id,
        workflowId: officialWorkflowId(template.slug),
        meta: {
          title: template.title,
          description: descriptionOf(template),
          category: template.category,
          tags: template.tags.slice(0, 10),
          icon: '',
          visibility: 'instance',
        },
        content: { version: '1.0.0', changelog: 'First release of the official template.', graph, manifest },
      });
      report.created.push(template.slug);
      return;
    }
    const [latest] = await listingVersions(id);
    if (latest && fingerprintOf(latest.graph, latest.manifest) === fingerprintOf(graph, manifest)) {
      report.unchanged.push(template.slug);
      return;
    }
    const version = latest ? nextPatch(latest.version) : '1.0.0';
    await addVersion(BATON_PUBLISHER.id, id, {
      version,
      changelog: `The template "${template.title}" changed in this Baton's templates/${template.slug}.`,
      graph,
      manifest,
    });
    report.updated.push({ slug: template.slug, version });
  } catch (err) {
    if (!lostRace(err)) throw err;
    report.unchanged.push(template.slug);
  }
}

/** Lists every template under the Baton publisher; returns what it did, for the start-up log and tests. */
export async function seedOfficialListings(templates: LoadedTemplate[], batonVersion: string): Promise<SeedReport> {
  await ensureMemberlessWorkspace(BATON_PUBLISHER.id, BATON_PUBLISHER.name);
  const report: SeedReport = { created: [], updated: [], unchanged: [], skipped: [] };
  for (const template of templates) {
    try {
      await seedOne(template, batonVersion, report);
    } catch (err) {
      report.skipped.push({ slug: template.slug, reason: (err as Error).message });
    }
  }
  return report;
}

/** The start-up lines for a seeding report: what changed, and why a template was skipped. */
export function seedReportLines(report: SeedReport): string[] {
  return [
    ...(report.created.length ? [`[marketplace] Listed official templates: ${report.created.join(', ')}.`] : []),
    ...report.updated.map((u) => `[marketplace] Official template ${u.slug} changed: listed as version ${u.version}.`),
    ...report.skipped.map((s) => `[marketplace] Official template ${s.slug} not listed: ${s.reason}`),
  ];
}

/** At web start: lists this instance's templates; a failure is logged, and the server starts anyway. */
export async function seedOfficialListingsAtStart(): Promise<void> {
  try {
    await dropLegacyTokenIndex();
    await indexListingSearchAtStart();
    const report = await seedOfficialListings(templateLibrary().templates, currentBatonVersion());
    for (const line of seedReportLines(report)) console.log(line);
  } catch (err) {
    console.error(`[marketplace] Could not list the official templates: ${(err as Error).message}`);
  }
}
