// Marketplace reviews, reports and moderation in real Chromium (docs/decisions/071): someone of another workspace rates
// a listing from the keyboard and writes a review (its <script> shown as text), edits it, and reports the listing;
// the publisher may not review its own listing; the instance owner, who moderates, features the listing from its page
// and unpublishes it from the moderation queue, resolving the report; the listing is then gone for the reviewer, and
// the moderation page does not exist for them.
import { expect, test, type Browser, type Page } from '@playwright/test';
import mongoose from 'mongoose';
import { createUser } from '../db/users';
import { createWorkspace } from '../db/workspaces';
import { api, createWorkflow, docNode } from './api';
import { connectE2eDatabase } from './db';
import { signIn } from './session';

test.describe.configure({ timeout: 240_000 });

test.beforeAll(async () => {
  await connectE2eDatabase();
});

test.afterAll(async () => {
  await mongoose.disconnect();
});

async function signInAs(browser: Browser, email: string, password: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Workflows' })).toBeVisible();
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  return page;
}

const reviewsOf = (page: Page) => page.getByRole('region', { name: 'Ratings and reviews' });

test('review, edit, report; the moderator features and unpublishes', async ({ page, browser }, testInfo) => {
  await signIn(page);
  const title = `Payroll sync ${Date.now().toString(36)}`;
  const workflowId = await createWorkflow(page, title, {
    nodes: [docNode('start', 'manual-trigger', 0, 0)],
    edges: [],
  });
  await api(page, 'POST', `/api/workflows/${workflowId}/publish`);
  const { listing } = await api<{ listing: { id: string } }>(page, 'POST', '/api/marketplace/listings', {
    workflowId,
    title,
    description: 'Moves **payroll** data.',
    category: 'Finance',
    visibility: 'instance',
    version: '1.0.0',
  });

  const tag = Date.now().toString(36);
  const reviewer = await createUser({
    email: `reviewer-${tag}@baton.test`,
    name: 'Rita Reviewer',
    password: 'rita-pw-1',
  });
  await createWorkspace({ name: 'Rita’s company', ownerId: reviewer.id });
  const rita = await signInAs(browser, reviewer.email, 'rita-pw-1');
  const scripts: string[] = [];
  rita.on('dialog', (d) => {
    scripts.push(d.message());
    void d.dismiss();
  });

  // Rate from the keyboard: Tab to the star group, arrows to four stars.
  await rita.goto(`/marketplace/${listing.id}`);
  await expect(rita.getByRole('heading', { name: title, level: 1 })).toBeVisible();
  const reviews = reviewsOf(rita);
  await expect(reviews.getByText('No reviews yet.')).toBeVisible();
  await reviews.getByRole('radio', { name: '1 star' }).focus();
  await rita.keyboard.press('ArrowRight');
  await rita.keyboard.press('ArrowRight');
  await rita.keyboard.press('ArrowRight');
  await expect(reviews.getByRole('radio', { name: '4 stars' })).toBeChecked();
  await reviews.getByLabel('Review', { exact: true }).fill('Saved me **hours**. <script>alert("xss")</script>');
  await reviews.getByRole('button', { name: 'Post review' }).click();
  const mine = reviews.getByRole('article', { name: 'Review by Rita Reviewer' }).first();
  await expect(mine.locator('strong', { hasText: 'hours' })).toBeVisible();
  await expect(mine).toContainText('<script>alert("xss")</script>');
  await expect(reviews.locator('.rating-average-number')).toHaveText('4.0');
  await expect(reviews.getByText('4.0 of 5 (1 rating)')).toBeVisible();
  // The page's header follows (its loader reloads after a review).
  await expect(rita.locator('.listing-facts').getByText('4.0 of 5 (1 rating)')).toBeAttached();

  // Edit: five stars and new words; the summary follows.
  await reviews.getByRole('button', { name: 'Edit review' }).click();
  await reviews.getByRole('radio', { name: '5 stars' }).check();
  await reviews.getByLabel('Review', { exact: true }).fill('Saved me **days** after the fix.');
  await reviews.getByRole('button', { name: 'Save review' }).click();
  await expect(mine.locator('strong', { hasText: 'days' })).toBeVisible();
  await expect(reviews.locator('.rating-average-number')).toHaveText('5.0');
  await expect(reviews.getByRole('article', { name: 'Review by Rita Reviewer' })).toHaveCount(1);
  await rita.screenshot({ path: testInfo.outputPath('reviews-written.png'), fullPage: true });

  // Report it.
  await reviews.getByRole('button', { name: 'Report this listing' }).click();
  const dialog = rita.getByRole('dialog', { name: `Report “${title}”` });
  await dialog.getByRole('button', { name: 'Send report' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('Choose what is wrong with this listing.');
  await dialog.getByRole('radio', { name: 'Spam or advertising' }).check();
  await dialog.getByLabel('Details').fill('It links to a paid course in every node note.');
  await rita.screenshot({ path: testInfo.outputPath('report-dialog.png') });
  await dialog.getByRole('button', { name: 'Send report' }).click();
  await expect(dialog).toBeHidden();
  await expect(reviews.getByRole('status').filter({ hasText: 'You reported this listing' })).toBeVisible();
  expect(scripts).toEqual([]);

  // The publisher (the instance owner) may not review it, and moderates it: feature from the listing page.
  await page.goto(`/marketplace/${listing.id}`);
  const ownerReviews = reviewsOf(page);
  await expect(ownerReviews.getByText('publishers may not review their own listings')).toBeVisible();
  const moderation = ownerReviews.getByRole('group', { name: 'Moderation' });
  await moderation.getByRole('button', { name: 'Feature' }).click();
  await expect(moderation.getByRole('status')).toHaveText('Published · Featured');
  await page.screenshot({ path: testInfo.outputPath('listing-moderator.png'), fullPage: true });

  // The queue: the report with its listing; unpublish it, then resolve the report with a note.
  await moderation.getByRole('link', { name: 'Moderation queue' }).click();
  await expect(page.getByRole('heading', { name: 'Marketplace moderation', level: 1 })).toBeVisible();
  const report = page.getByRole('listitem', { name: `Report about ${title}` });
  await expect(report).toContainText('Spam or advertising');
  await expect(report).toContainText('Rita Reviewer');
  await expect(report).toContainText('paid course');
  await page.screenshot({ path: testInfo.outputPath('moderation-queue.png'), fullPage: true });
  await report.getByRole('button', { name: 'Unpublish listing' }).click();
  await expect(report.getByText('Unpublished', { exact: true })).toBeVisible();
  await report.getByLabel('Note for the record').fill('Spam links; unpublished.');
  await report.getByRole('button', { name: 'Resolve' }).click();
  await expect(report).toBeHidden();
  const unpublished = page.getByRole('region', { name: /Unpublished listings/ });
  await expect(unpublished.getByRole('link', { name: title })).toBeVisible();
  await expect(
    page.getByRole('region', { name: /Featured listings/ }).getByRole('link', { name: title }),
  ).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('moderation-after.png'), fullPage: true });

  // Gone for the reviewer; and the moderation page does not exist for them.
  const gone = await rita.goto(`/marketplace/${listing.id}`);
  expect(gone?.status()).toBe(404);
  await expect(rita.getByRole('heading', { name: 'Listing not found' })).toBeVisible();
  const hidden = await rita.goto('/marketplace/moderation');
  expect(hidden?.status()).toBe(404);

  // Published again from its page: the page's own "Unpublished" badge goes without a reload.
  await unpublished.getByRole('link', { name: title }).click();
  const header = page.locator('.listing-byline');
  await expect(header.getByText('Unpublished', { exact: true })).toBeVisible();
  const controls = page.getByRole('group', { name: 'Moderation' });
  await controls.getByRole('button', { name: 'Publish again' }).click();
  await expect(controls.getByRole('status')).toHaveText('Published · Featured');
  await expect(header.getByText('Unpublished', { exact: true })).toBeHidden();
  expect((await rita.goto(`/marketplace/${listing.id}`))?.status()).toBe(200);
});
