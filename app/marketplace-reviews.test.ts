// Reviews, reports and moderation through the real web server (docs/decisions/071): one review per user per listing,
// edited in place; only its author (or a moderator) deletes it; no review of one's own workspace's listing; the
// rating aggregate; one open report per user; moderation for the instance owner and BATON_INSTANCE_ADMINS only, audit-
// logged; an unpublished listing hidden with its reviews.
import mongoose from 'mongoose';
import { createApiToken } from '../db/api-tokens';
import { createUser } from '../db/users';
import { createWorkspace } from '../db/workspaces';
import { docWith, manualNode } from './web-test-documents';
import { startWebStack, viewerAndOutsider, type WebStack } from './web-test-stack';

let stack: WebStack;
let viewerToken: string;
let otherToken: string;
let thirdToken: string;
let modToken: string;
let modReadToken: string;
let workflowId: string;
let listingId: string;

/** A user with a workspace of their own and a token of `scopes` there. */
async function outsider(email: string, scopes: Array<'read' | 'write' | 'admin'> = ['read', 'write']) {
  const user = await createUser({ email, name: email.split('@')[0]!, password: `${email}-password` });
  const ws = await createWorkspace({ name: `${email} company`, ownerId: user.id });
  const token = async (s: typeof scopes) =>
    (await createApiToken({ userId: user.id, workspaceId: ws.id, name: 't', scopes: s })).token;
  return { user, token: await token(scopes), readToken: await token(['read']) };
}

beforeAll(async () => {
  stack = await startWebStack('marketplace_reviews', { env: { BATON_INSTANCE_ADMINS: ' Mod@Baton.test , x@y.z' } });
  await mongoose.connect(stack.mongoUri);
  ({ viewerToken, otherToken } = await viewerAndOutsider());
  thirdToken = (await outsider('third@baton.test')).token;
  const mod = await outsider('mod@baton.test', ['read', 'admin']);
  modToken = mod.token;
  modReadToken = mod.readToken;
  const created = await stack.api('POST', '/api/workflows', {
    name: 'Greeter',
    document: docWith([manualNode('start')]),
  });
  workflowId = created.body.workflow.id;
  expect((await stack.api('POST', `/api/workflows/${workflowId}/publish`)).status).toBe(201);
  listingId = await publish('Greeter', 'instance');
}, 240_000);

afterAll(async () => {
  await mongoose.disconnect();
  await stack?.stop();
});

async function publish(title: string, visibility: 'workspace' | 'instance'): Promise<string> {
  const res = await stack.api('POST', '/api/marketplace/listings', {
    workflowId,
    title,
    category: 'HR',
    visibility,
    version: '1.0.0',
  });
  expect(res.status).toBe(201);
  return res.body.listing.id;
}

const put = (id: string, token: string, body: unknown) =>
  stack.api('PUT', `/api/marketplace/listings/${id}/reviews`, body, { token });
const get = (id: string, token: string) =>
  stack.api('GET', `/api/marketplace/listings/${id}/reviews`, undefined, { token });

describe('reviews', () => {
  test('one per user: a second PUT edits it; the listing rating and the summary follow', async () => {
    const first = await put(listingId, otherToken, { rating: 2, text: 'Needs *work*' });
    expect(first.status).toBe(201);
    expect(first.body.review).toMatchObject({ rating: 2, text: 'Needs *work*', version: '1.0.0', authorName: 'Other' });
    const edited = await put(listingId, otherToken, { rating: 4, text: 'Better now' });
    expect(edited.status).toBe(200);
    expect(edited.body.review.id).toBe(first.body.review.id);
    expect((await put(listingId, thirdToken, { rating: 5 })).status).toBe(201);
    const page = await get(listingId, otherToken);
    expect(page.status).toBe(200);
    expect(page.body.summary).toEqual({ average: 4.5, count: 2, distribution: [0, 0, 0, 1, 1] });
    expect(page.body.reviews.map((r: { authorName: string }) => r.authorName)).toEqual(['third', 'Other']);
    expect(page.body.viewer).toMatchObject({ review: { rating: 4 }, openReport: null, moderator: false });
    const listing = await stack.api('GET', `/api/marketplace/listings/${listingId}`, undefined, { token: otherToken });
    expect(listing.body.listing).toMatchObject({ rating: 4.5, ratingCount: 2 });
  });

  test('members of the publishing workspace may not review it, whatever their role', async () => {
    for (const token of [stack.token, viewerToken]) {
      const res = await put(listingId, token, { rating: 5 });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe(
        'You are a member of the workspace that publishes "Greeter": publishers may not review their own listings.',
      );
    }
    expect((await get(listingId, viewerToken)).body.viewer.cannotReview).toMatch(/publishers may not review/);
  });

  test('bad input names the field', async () => {
    const stars = await put(listingId, otherToken, { rating: 0 });
    expect(stars.status).toBe(400);
    expect(stars.body.error.message).toMatch(/^Invalid request: rating: /);
    const long = await put(listingId, otherToken, { rating: 3, text: 'x'.repeat(5001) });
    expect(long.status).toBe(400);
    expect(long.body.error.message).toBe('Invalid request: text: at most 5000 characters.');
    const version = await put(listingId, otherToken, { rating: 3, version: '9.9.9' });
    expect(version.status).toBe(400);
    expect(version.body.error.message).toBe('"Greeter" has no version 9.9.9 to review.');
  });

  test('only its author deletes a review; a moderator may delete anyone’s', async () => {
    const id = await publish('Deletable', 'instance');
    await put(id, otherToken, { rating: 1 });
    await put(id, thirdToken, { rating: 3 });
    const other = (await get(id, otherToken)).body.viewer.review.userId as string;
    const refused = await stack.api('DELETE', `/api/marketplace/listings/${id}/reviews?author=${other}`, undefined, {
      token: thirdToken,
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe('Only its author or a marketplace moderator may delete a review.');
    const own = await stack.api('DELETE', `/api/marketplace/listings/${id}/reviews`, undefined, { token: thirdToken });
    expect(own.body).toEqual({ deleted: true });
    expect((await get(id, otherToken)).body.summary).toMatchObject({ average: 1, count: 1 });
    const moderated = await stack.api('DELETE', `/api/marketplace/listings/${id}/reviews?author=${other}`, undefined, {
      token: modToken,
    });
    expect(moderated.body).toEqual({ deleted: true });
    expect((await get(id, otherToken)).body.summary).toEqual({
      average: null,
      count: 0,
      distribution: [0, 0, 0, 0, 0],
    });
  });

  test('a listing the caller cannot see answers as missing', async () => {
    const hidden = await publish('Private', 'workspace');
    for (const res of [
      await get(hidden, otherToken),
      await put(hidden, otherToken, { rating: 5 }),
      await stack.api('POST', `/api/marketplace/listings/${hidden}/reports`, { reason: 'spam' }, { token: otherToken }),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.error.message).toBe(`Listing ${hidden} does not exist.`);
    }
  });
});

describe('reports and moderation', () => {
  test('one open report per user; moderators only see the queue and act; actions are audit-logged', async () => {
    const id = await publish('Spammy', 'instance');
    const report = (token: string) =>
      stack.api(
        'POST',
        `/api/marketplace/listings/${id}/reports`,
        { reason: 'spam', text: 'Ads everywhere' },
        { token },
      );
    const filed = await report(otherToken);
    expect(filed.status).toBe(201);
    const again = await report(otherToken);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe(
      'You already reported this listing, and a moderator has not handled that report yet.',
    );
    const badReason = await stack.api(
      'POST',
      `/api/marketplace/listings/${id}/reports`,
      { reason: 'meh' },
      { token: otherToken },
    );
    expect(badReason.status).toBe(400);
    expect((await get(id, otherToken)).body.viewer.openReport).toMatchObject({ reason: 'spam', status: 'open' });

    // Non-moderators: a workspace owner's token, an outsider, and a moderator's token without the admin scope.
    for (const token of [viewerToken, otherToken, modReadToken]) {
      expect((await stack.api('GET', '/api/marketplace/moderation/queue', undefined, { token })).status).toBe(403);
      const act = await stack.api(
        'POST',
        `/api/marketplace/moderation/listings/${id}`,
        { action: 'unpublish' },
        { token },
      );
      expect(act.status).toBe(403);
      expect(act.body.error.message).toMatch(/^Not allowed: marketplace moderation is for instance admins/);
      const decide = await stack.api(
        'POST',
        `/api/marketplace/moderation/reports/${filed.body.report.id}`,
        { decision: 'resolve' },
        { token },
      );
      expect(decide.status).toBe(403);
    }

    // The instance owner (stack.token) and a BATON_INSTANCE_ADMINS user (modToken) moderate.
    const queue = await stack.api('GET', '/api/marketplace/moderation/queue', undefined, { token: modToken });
    expect(queue.status).toBe(200);
    expect(queue.body.reports).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: filed.body.report.id, listing: expect.objectContaining({ title: 'Spammy' }) }),
      ]),
    );
    const unpublished = await stack.api(
      'POST',
      `/api/marketplace/moderation/listings/${id}`,
      { action: 'unpublish' },
      {
        token: modToken,
      },
    );
    expect(unpublished.status).toBe(200);
    expect(unpublished.body.listing.unpublished).toBe(true);
    expect((await stack.api('GET', `/api/marketplace/listings/${id}`, undefined, { token: otherToken })).status).toBe(
      404,
    );
    expect((await get(id, otherToken)).status).toBe(404);
    // A moderator opens it from the queue, by the API and the page (read-only: no install); everyone else, a
    // moderator's token without the admin scope included, gets the 404 of a listing that does not exist.
    const opened = await stack.api('GET', `/api/marketplace/listings/${id}`, undefined, { token: modToken });
    expect(opened.status).toBe(200);
    expect(opened.body.listing).toMatchObject({ id, title: 'Spammy', unpublished: true });
    const page = (listing: string, token: string) =>
      fetch(`${stack.url}/marketplace/${listing}`, {
        headers: { Authorization: `Bearer ${token}` },
        redirect: 'manual',
      });
    const modPage = await page(id, modToken);
    expect(modPage.status).toBe(200);
    const html = await modPage.text();
    expect(html).toContain('You see this listing as a marketplace moderator');
    expect(html).not.toContain('Checking installs');
    // …and may download its signed bundle to look at; nobody else may.
    const bundle = (token: string) =>
      stack.api('GET', `/api/marketplace/listings/${id}/versions/1.0.0/bundle`, undefined, { token });
    expect((await bundle(modToken)).status).toBe(200);
    expect((await bundle(otherToken)).status).toBe(404);
    const missing = await stack.api('GET', '/api/marketplace/listings/lst_missing', undefined, { token: otherToken });
    for (const token of [otherToken, modReadToken]) {
      const refused = await stack.api('GET', `/api/marketplace/listings/${id}`, undefined, { token });
      expect([refused.status, refused.body.error.message]).toEqual([
        missing.status,
        missing.body.error.message.replace('lst_missing', id),
      ]);
      expect((await page(id, token)).status).toBe(404);
    }
    expect((await page('lst_missing', otherToken)).status).toBe(404);
    // A workspace-only listing nobody moderated stays its workspace's, moderators included.
    const own = await publish('Private draft', 'workspace');
    expect((await stack.api('GET', `/api/marketplace/listings/${own}`, undefined, { token: modToken })).status).toBe(
      404,
    );
    expect((await page(own, modToken)).status).toBe(404);
    const search = await stack.api('GET', '/api/marketplace/listings?q=spammy', undefined, { token: otherToken });
    expect(search.body.listings).toEqual([]);
    expect(
      (
        await stack.api('GET', '/api/marketplace/moderation/queue', undefined, { token: modToken })
      ).body.unpublished.map((l: { id: string }) => l.id),
    ).toContain(id);

    const decided = await stack.api(
      'POST',
      `/api/marketplace/moderation/reports/${filed.body.report.id}`,
      { decision: 'resolve', note: 'Unpublished' },
      { token: stack.token },
    );
    expect(decided.status).toBe(200);
    expect(decided.body.report).toMatchObject({ status: 'resolved', note: 'Unpublished', handledByName: 'Owner' });
    const twice = await stack.api(
      'POST',
      `/api/marketplace/moderation/reports/${filed.body.report.id}`,
      { decision: 'dismiss' },
      { token: stack.token },
    );
    expect(twice.status).toBe(409);

    await stack.api(
      'POST',
      `/api/marketplace/moderation/listings/${id}`,
      { action: 'republish' },
      { token: stack.token },
    );
    const featured = await stack.api(
      'POST',
      `/api/marketplace/moderation/listings/${id}`,
      { action: 'feature' },
      {
        token: stack.token,
      },
    );
    expect(featured.body.listing).toMatchObject({ featured: true, unpublished: false });
    expect((await stack.api('GET', `/api/marketplace/listings/${id}`, undefined, { token: otherToken })).status).toBe(
      200,
    );
    expect((await report(otherToken)).status).toBe(201);

    // The publisher's workspace (the owner's) sees what moderators did to its listing.
    const audit = await stack.api('GET', `/api/audit?target=${id}`);
    expect(audit.status).toBe(200);
    const actions = (audit.body.entries as Array<{ action: string; actor: { name: string } }>).map(
      (e) => `${e.action} by ${e.actor.name}`,
    );
    expect(actions).toEqual([
      'marketplace.feature by Owner',
      'marketplace.republish by Owner',
      'marketplace.report-resolve by Owner',
      'marketplace.unpublish by mod',
    ]);
  });
});
