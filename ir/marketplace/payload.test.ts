// The signed payload: independent of key order, and changed by any signed field.
import type { SignedContent } from './payload';
import { canonicalPayload, payloadHash } from './payload';

const content: SignedContent = {
  listing: {
    id: 'lst_1',
    publisherWorkspaceId: 'ws_1',
    workflowId: 'a'.repeat(24),
    title: 'Sync',
    description: 'Syncs',
    category: 'IT',
    tags: ['sync'],
    icon: 'users',
    visibility: 'instance',
  },
  version: '1.0.0',
  changelog: 'First',
  manifest: {
    nodes: [],
    credentials: [],
    inputs: [],
    minBatonVersion: '0.1.0',
    permissions: { domains: [], browser: false, gpu: false, email: false },
  },
  graph: { nodes: [], edges: [], settings: {} },
};

test('equal content gives equal bytes whatever the key order; extra listing fields are not signed', () => {
  const reordered = { graph: content.graph, version: '1.0.0', manifest: content.manifest, changelog: 'First' };
  const listing = { ...content.listing, installs: 99 } as SignedContent['listing'];
  expect(canonicalPayload({ ...reordered, listing })).toBe(canonicalPayload(content));
});

test.each([
  ['title', { listing: { ...content.listing, title: 'Sync!' } }],
  ['visibility', { listing: { ...content.listing, visibility: 'public' as const } }],
  ['version', { version: '1.0.1' }],
  ['changelog', { changelog: 'Second' }],
  ['manifest', { manifest: { ...content.manifest, minBatonVersion: '0.2.0' } }],
])('changing the %s changes the payload hash', (_field, change) => {
  expect(payloadHash(canonicalPayload({ ...content, ...change }))).not.toBe(payloadHash(canonicalPayload(content)));
});
