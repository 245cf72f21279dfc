// The Browser node's code mode in the inspector, in real Chromium: Mode "Code" hides the step list and shows the
// Script editor, whose Monaco offers the typed hints of `page` (goto, click…) and `credential`, and the Code node's
// editor does not. A script that signs in with the node's Website login and reads a popup runs on the e2e worker
// against the local test website, and neither the run nor the page shows the password.
import { expect, test, type Page } from '@playwright/test';
import { api, createWorkflow, docEdge, docNode } from './api';
import { nodeCard, runPanel } from './canvas-helpers';
import { runFromEditor } from './run-helpers';
import { signIn } from './session';
import { startBrowserSite, type BrowserSite } from '../test/browser-site/server';

test.describe.configure({ timeout: 180_000 });

let site: BrowserSite;
test.beforeAll(async () => {
  site = await startBrowserSite();
});
test.afterAll(async () => {
  await site.close();
});

/** Opens the field's Monaco editor, puts the caret at the end and types `text`. */
async function typeAtEnd(page: Page, param: string, text: string) {
  const field = page.locator(`[data-param="${param}"]`);
  await expect(async () => {
    await field.locator('.code-field').click();
    await expect(field.locator('.monaco-editor.focused')).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.press('Enter');
  await page.keyboard.type(text);
}

test('code mode shows the Script editor with typed hints for page', async ({ page }) => {
  await signIn(page);
  const workflowId = await createWorkflow(page, `Browser script ${Date.now()}`, {
    nodes: [
      docNode('Start', 'manual-trigger', 80, 200),
      docNode('Portal', 'browser', 380, 200, {
        mode: 'code',
        code: "await page.goto('https://example.com');\nreturn { title: await page.title() };",
      }),
      docNode('Transform', 'code', 680, 200),
    ],
    edges: [docEdge('Start', 'out', 'Portal'), docEdge('Portal', 'out', 'Transform')],
  });
  await page.goto(`/workflows/${workflowId}`);
  await expect(page.locator('html[data-hydrated]')).toBeAttached({ timeout: 120_000 });
  await nodeCard(page, 'Portal').click();

  await expect(page.locator('[data-param="steps"]')).toHaveCount(0);
  await expect(page.locator('[data-param="code"]')).toBeVisible();
  await expect(page.locator('[data-param="codeTimeoutMs"]')).toBeVisible();

  await typeAtEnd(page, 'code', 'page.');
  const suggestions = page.locator('.suggest-widget.visible');
  await expect(suggestions).toContainText('goto', { timeout: 30_000 });
  await expect(suggestions).toContainText('BatonPage.check(locator: string): Promise<void>');
  await page.keyboard.type('waitFor');
  await expect(suggestions).toContainText('waitForURL');
  await page.screenshot({ path: 'test-results/browser-code-hints.png' });
  await page.keyboard.press('Escape');

  // The Code node's editor has no `page`: the hints leave with the Browser node's editor.
  await nodeCard(page, 'Transform').click();
  await typeAtEnd(page, 'code', 'page.waitFor');
  await page.keyboard.press('Control+Space');
  await expect(page.locator('.suggest-widget.visible')).toBeVisible();
  await expect(page.locator('.suggest-widget.visible')).not.toContainText('waitForURL');
  await page.screenshot({ path: 'test-results/browser-code-code-node.png' });
});

test('a script signs in with the Website login and reads a popup; the run has the data, never the password', async ({
  page,
}) => {
  await signIn(page);
  const password = 'analytical'; // the test site's; nothing else in the workflow or its run contains it
  const { credential } = await api<{ credential: { id: string } }>(page, 'POST', '/api/credentials', {
    name: `Portal login ${Date.now()}`,
    type: 'website-login',
    values: { username: 'ada@example.com', password },
  });
  const code = [
    `await page.goto('${site.url}/login');`,
    `await page.fill('label=Email', credential.username);`,
    `await page.fill('label=Password', credential.password);`,
    `console.log('password field holds', await page.evaluate("document.querySelector('input[type=password]').value"));`,
    `await page.click('role=button[name="Sign in"]');`,
    `const greeting = await page.innerText('h1');`,
    `await page.goto('${site.url}/popup');`,
    `const opening = context.waitForEvent('page');`,
    `await page.click('text=Open details');`,
    `const details = await opening;`,
    `return { greeting, details: await details.innerText('#detail'), pages: (await context.pages()).length };`,
  ].join('\n');
  const workflowId = await createWorkflow(page, `Browser script login ${Date.now()}`, {
    nodes: [
      docNode('Start', 'manual-trigger', 80, 200),
      docNode('Portal', 'browser', 380, 200, { mode: 'code', code, credential: credential.id, trace: 'never' }),
    ],
    edges: [docEdge('Start', 'out', 'Portal')],
  });
  await page.goto(`/workflows/${workflowId}`);
  await expect(page.locator('html[data-hydrated]')).toBeAttached({ timeout: 120_000 });
  const runId = await runFromEditor(page);
  await expect(runPanel(page).status).toHaveAttribute('data-status', 'succeeded', { timeout: 120_000 });
  const records = await api<{ steps: Array<{ nodeId: string; output?: { data?: unknown } }> }>(
    page,
    'GET',
    `/api/runs/${runId}/steps`,
  );
  expect(records.steps.find((s) => s.nodeId === 'Portal')?.output?.data).toEqual({
    greeting: 'Welcome, Ada',
    details: 'Opened in a new window',
    pages: 2,
  });
  expect(JSON.stringify(records)).not.toContain(password);
  await page.screenshot({ path: 'test-results/browser-code-credential-run.png' });

  // The editor's hints know the script's `credential`.
  await nodeCard(page, 'Portal').click();
  await typeAtEnd(page, 'code', 'credential.');
  const suggestions = page.locator('.suggest-widget.visible');
  await expect(suggestions).toContainText('password', { timeout: 30_000 });
  await expect(suggestions).toContainText('totp');
});
