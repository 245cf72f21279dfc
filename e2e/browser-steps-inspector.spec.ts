// The Browser node's step list in the inspector, in real Chromium: each step's Target and Value cells say what they
// hold for its action (a file input and a file for Upload, a script for Run JavaScript…), following the action as it
// changes, and the Credential picker offers Website logins.
import { expect, test } from '@playwright/test';
import { api, createWorkflow, docEdge, docNode } from './api';
import { nodeCard } from './canvas-helpers';
import { signIn } from './session';

test.describe.configure({ timeout: 180_000 });

test('step cells say what Target and Value hold for each action', async ({ page }) => {
  await signIn(page);
  const login = await api<{ credential: { id: string } }>(page, 'POST', '/api/credentials', {
    name: `Supplier portal ${Date.now()}`,
    type: 'website-login',
    values: { username: 'ada@example.com', password: 'analytical' },
  });
  const workflowId = await createWorkflow(page, `Browser steps ${Date.now()}`, {
    nodes: [
      docNode('Start', 'manual-trigger', 80, 200),
      docNode('Portal', 'browser', 380, 200, {
        credential: login.credential.id,
        steps: [
          { action: 'goto', target: 'https://example.com/login', value: '', name: '' },
          { action: 'fill', target: 'label=Password', value: '$credential.password', name: '' },
          { action: 'upload', target: '', value: '', name: '' },
          { action: 'evaluate', target: '', value: '', name: 'title' },
        ],
      }),
    ],
    edges: [docEdge('Start', 'out', 'Portal')],
  });
  await page.goto(`/workflows/${workflowId}`);
  await expect(page.locator('html[data-hydrated]')).toBeAttached({ timeout: 120_000 });
  await nodeCard(page, 'Portal').click();
  const steps = page.locator('[data-param="steps"]');
  const cell = (label: string, step: number) => steps.getByLabel(`${label}, step ${step}`, { exact: true });

  await expect(cell('Target', 3)).toHaveAttribute('placeholder', 'The file input: label=CV');
  await expect(cell('Value', 3)).toHaveAttribute('placeholder', '{{ $node("Form").cv }}');
  await expect(cell('Value', 4)).toHaveAttribute('placeholder', 'document.title');
  await expect(cell('Store as', 4)).toHaveValue('title');
  await expect(cell('Store as', 1)).toHaveAttribute('placeholder', 'Not used');
  await expect(cell('Value', 2)).toHaveValue('$credential.password');
  await expect(page.locator('[data-param="credential"]')).toContainText('Supplier portal');
  await page.locator('[data-param="steps"]').screenshot({ path: 'test-results/browser-steps-inspector.png' });

  // The placeholder follows the action as it changes.
  await cell('Action', 4).selectOption('switchPage');
  await expect(cell('Target', 4)).toHaveAttribute('placeholder', 'popup, first, or part of the URL');
  await expect(cell('Value', 4)).toHaveAttribute('placeholder', 'Not used');
});
