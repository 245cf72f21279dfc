// Seeding the official listings from templates/ against the real FerretDB: every shipped template is listed by the
// memberless "Baton" workspace, signed and verified, with its template's table needs; seeding again creates nothing; a template whose graph changed
// gets the next patch version; a template with a node this Baton does not know is skipped with its reason.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { REPO_ROOT, testDatabaseUri } from '../../test/stack';
import { connectDb, disconnectDb } from '../../db/connection';
import { getListing, listingVersions, searchListings } from '../../db/marketplace-listings';
import { getWorkspace } from '../../db/workspaces';
import { ENCRYPTION_KEY_ENV } from '../../db/vault-key';
import { BATON_PUBLISHER, officialListingId, seedOfficialListings, seedReportLines } from './marketplace-seed.server';
import { loadTemplatesFrom, type LoadedTemplate } from './templates.server';

const savedHome = process.env.BATON_HOME;
const savedKey = process.env[ENCRYPTION_KEY_ENV];
let home: string;
let templates: LoadedTemplate[];

beforeAll(async () => {
  home = mkdtempSync(path.join(tmpdir(), 'baton-marketplace-seed-'));
  process.env.BATON_HOME = home;
  delete process.env[ENCRYPTION_KEY_ENV];
  await connectDb(testDatabaseUri('baton_test_marketplace_seed'));
  await mongoose.connection.db!.dropDatabase();
  await mongoose.connection.syncIndexes();
  templates = loadTemplatesFrom(path.join(REPO_ROOT, 'templates')).templates;
}, 60_000);

afterAll(async () => {
  await disconnectDb();
  rmSync(home, { recursive: true, force: true });
  process.env.BATON_HOME = savedHome;
  if (savedKey === undefined) delete process.env[ENCRYPTION_KEY_ENV];
  else process.env[ENCRYPTION_KEY_ENV] = savedKey;
});

const count = (collection: string) => mongoose.connection.db!.collection(collection).countDocuments();

/** A copy of `template` whose first node has another name: a change of the listed graph. */
function renamedFirstNode(template: LoadedTemplate): LoadedTemplate {
  const [first, ...rest] = template.document.nodes;
  return {
    ...template,
    document: { ...template.document, nodes: [{ ...first, name: `${first.name} (renamed)` }, ...rest] },
  };
}

test('every shipped template becomes an instance listing of the Baton workspace, signed and verified', async () => {
  expect(templates.length).toBeGreaterThanOrEqual(6);
  const report = await seedOfficialListings(templates, '0.9.0');
  expect(report.skipped).toEqual([]);
  expect(report.created.sort()).toEqual(templates.map((t) => t.slug).sort());
  expect(await getWorkspace(BATON_PUBLISHER.id)).toMatchObject({ name: 'Baton' });
  expect(await mongoose.connection.db!.collection('memberships').countDocuments({ workspaceId: 'ws_baton' })).toBe(0);

  for (const template of templates) {
    const listing = await getListing(officialListingId(template.slug));
    expect(listing).toMatchObject({
      title: template.title,
      category: template.category,
      visibility: 'instance',
      publisherWorkspaceId: BATON_PUBLISHER.id,
      latestVersion: '1.0.0',
    });
    // The README without its "# Title" line: the page shows the title.
    expect(listing!.description.startsWith('#')).toBe(false);
    const [version] = await listingVersions(listing!.id);
    expect(version).toMatchObject({ version: '1.0.0', verified: true, keyStatus: 'active' });
    expect(version.manifest.minBatonVersion).toBe('0.9.0');
  }
  // The onboarding listing asks for the template's equipment table (its columns, the IT tasks node's param), and its
  // graph names no table; a template without tables has no `tables` key (as versions listed before them).
  const [onboarding] = await listingVersions(officialListingId('hr-onboarding'));
  const equipment = templates.find((t) => t.slug === 'hr-onboarding')!.tables.find((t) => t.key === 'equipment')!;
  expect(onboarding.manifest.tables).toEqual([
    {
      key: 'equipment',
      name: 'IT equipment',
      columns: equipment.columns,
      targets: [{ nodeId: 'itTasks', param: 'table' }],
    },
  ]);
  expect(onboarding.graph.nodes.find((n) => n.id === 'itTasks')!.params.table).toBe('');
  const [interviews] = await listingVersions(officialListingId('interview-scheduling'));
  expect(interviews.manifest).not.toHaveProperty('tables');
  // Another workspace finds them by search.
  const found = await searchListings('ws_someone_else', { q: 'onboarding' });
  expect(found.map((l) => l.id)).toContain(officialListingId('hr-onboarding'));
});

test('seeding again creates nothing, even with a newer Baton version', async () => {
  const before = [await count('marketplace_listings'), await count('marketplace_listing_versions')];
  const report = await seedOfficialListings(templates, '1.0.0');
  expect(report.created).toEqual([]);
  expect(report.updated).toEqual([]);
  expect(report.unchanged).toHaveLength(templates.length);
  expect(seedReportLines(report)).toEqual([]);
  expect([await count('marketplace_listings'), await count('marketplace_listing_versions')]).toEqual(before);
  expect(await count('workspaces')).toBe(1);
});

test('a template whose graph changed gets the next patch version, which verifies', async () => {
  const changed = renamedFirstNode(templates.find((t) => t.slug === 'pto-request')!);
  const report = await seedOfficialListings([changed], '0.9.0');
  expect(report.updated).toEqual([{ slug: 'pto-request', version: '1.0.1' }]);
  expect(seedReportLines(report)).toEqual([
    '[marketplace] Official template pto-request changed: listed as version 1.0.1.',
  ]);
  const versions = await listingVersions(officialListingId('pto-request'));
  expect(versions.map((v) => [v.version, v.verified])).toEqual([
    ['1.0.1', true],
    ['1.0.0', true],
  ]);
  expect(versions[0].graph.nodes[0].name).toMatch(/\(renamed\)$/);
  expect((await getListing(officialListingId('pto-request')))!.latestVersion).toBe('1.0.1');
  // And once more: nothing new.
  expect((await seedOfficialListings([changed], '0.9.0')).updated).toEqual([]);
});

test('a template with a node this Baton does not know is skipped with the reason, the others still seed', async () => {
  const base = templates.find((t) => t.slug === 'offboarding')!;
  const broken: LoadedTemplate = {
    ...base,
    slug: 'broken-template',
    document: {
      ...base.document,
      nodes: [
        ...base.document.nodes,
        { id: 'mystery', type: 'no-such-node', version: 1, name: 'Mystery', position: { x: 0, y: 0 }, params: {} },
      ],
    },
  };
  const report = await seedOfficialListings([broken, renamedFirstNode(base)], '0.9.0');
  expect(report.skipped).toEqual([
    {
      slug: 'broken-template',
      reason: expect.stringContaining('Node "Mystery" (mystery) is no-such-node@1, which this Baton does not know'),
    },
  ]);
  expect(report.updated).toEqual([{ slug: 'offboarding', version: '1.0.1' }]);
  expect(await getListing(officialListingId('broken-template'))).toBeUndefined();
  expect(seedReportLines(report)).toContainEqual(
    expect.stringContaining('[marketplace] Official template broken-template not listed: Node "Mystery"'),
  );
});
