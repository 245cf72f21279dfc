// The Browser node's code mode in the inspector, in real Chromium: Mode "Code" hides the step list and shows the
// Script editor, whose Monaco offers the typed hints of `page` (goto, click…), and the Code node's editor does not.
import { expect, test, type Page } from '@playwright/test';
import { createWorkflow, docEdge, docNode } from './api';
import { nodeCard } from './canvas-helpers';
import { signIn } from './session';

test.describe.configure({ timeout: 180_000 });

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
