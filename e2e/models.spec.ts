// The Models page in real Chromium (docs/decisions/053-agents.md): from an empty registry, `n` opens the dialog and
// Escape closes it; a local file name with a folder part is refused beside the Model file field; an Ollama model is
// registered with its credential, probed against a scripted Ollama server (its badges appear), picked in an LLM
// node's inspector, and deleted. The Agent node's tools editor appends a tool from its "Add" buttons. Screenshots of
// the empty page, the dialog, the filled page, the picker and the tools editor are kept with the test results.
import { expect, test, type Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { launchFakeLlm, type FakeLlm } from '../test/fake-llm/launch';
import { api, createWorkflow, docEdge, docNode } from './api';
import { nodeCard } from './canvas-helpers';
import { signIn } from './session';

let ollama: FakeLlm;

test.beforeAll(async () => {
  ollama = await launchFakeLlm('ollama');
});

test.afterAll(async () => {
  await ollama?.stop();
});

/** Other specs may have left models: this one starts from the empty state. */
async function clearModels(page: Page) {
  const { models } = await api<{ models: Array<{ id: string }> }>(page, 'GET', '/api/models');
  for (const m of models) await api(page, 'DELETE', `/api/models/${m.id}`);
}

test('add, probe, pick and delete a model', async ({ page }, testInfo) => {
  test.setTimeout(240_000);
  await signIn(page);
  await clearModels(page);
  const suffix = randomUUID().slice(0, 6);
  const credentialName = `Ollama box ${suffix}`;
  await api(page, 'POST', '/api/credentials', {
    name: credentialName,
    type: 'ollama',
    values: { baseUrl: ollama.url },
  });

  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Build' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Models' }).click();
  await expect(page.getByRole('heading', { name: 'Models', level: 1 })).toBeVisible();
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  await expect(page.getByRole('heading', { name: 'No models yet' })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('models-empty.png') });

  // The keyboard: n opens the dialog, Escape closes it.
  const dialog = page.getByRole('dialog', { name: 'Add a model' });
  await page.keyboard.press('n');
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // A local file name with a folder part: refused, and said beside the field.
  await page.keyboard.press('n');
  await dialog.getByLabel('Name').fill(`Tiny local ${suffix}`);
  await dialog.getByLabel('Provider').selectOption({ label: 'Local GGUF file' });
  await dialog.getByLabel('Model file').fill('models/tiny.gguf');
  await dialog.getByRole('button', { name: 'Add model' }).click();
  const modelField = dialog.locator('[data-field="model"]');
  await expect(modelField.getByRole('alert')).toContainText('without any folder part');
  await expect(dialog.getByLabel('Model file')).toHaveAttribute('aria-invalid', 'true');
  await page.screenshot({ path: testInfo.outputPath('models-dialog-error.png') });
  await dialog.getByLabel('Model file').fill('tiny.gguf');
  await dialog.getByRole('button', { name: 'Add model' }).click();
  await expect(dialog).toBeHidden();

  // An Ollama model through its credential.
  const name = `Llama ${suffix}`;
  await page.getByRole('button', { name: /Add model/ }).click();
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByLabel('Provider').selectOption({ label: 'Ollama' });
  const credential = dialog.getByLabel('Credential', { exact: true });
  await expect(credential).toBeEnabled();
  await credential.selectOption({ label: credentialName });
  await dialog.getByRole('textbox', { name: 'Model', exact: true }).fill('llama3.1:8b');
  await dialog.getByLabel('Input, per 1M tokens').fill('0.1');
  await dialog.getByLabel('Output, per 1M tokens').fill('0.4');
  await page.screenshot({ path: testInfo.outputPath('models-dialog.png') });
  await dialog.getByRole('button', { name: 'Add model' }).click();
  await expect(dialog).toBeHidden();

  const row = page.getByRole('row').filter({ hasText: name });
  await expect(row).toContainText('Ollama');
  await expect(row).toContainText('llama3.1:8b');
  await expect(row).toContainText(credentialName);
  await expect(row).toContainText('$0.1 in · $0.4 out per 1M tokens');
  // A model just added probes itself.
  await expect(row.locator('.badge')).toHaveText(['Tools', 'JSON: schema', 'Context 128k'], { timeout: 90_000 });
  await expect(row.getByRole('button', { name: `Probe ${name}` })).toBeEnabled();
  await row.getByRole('button', { name: `Probe ${name}` }).click();
  await expect(row.locator('.badge')).toHaveText(['Tools', 'JSON: schema', 'Context 128k'], { timeout: 90_000 });
  await expect(row).toContainText(/Probed/);

  const local = page.getByRole('row').filter({ hasText: `Tiny local ${suffix}` });
  await local.getByRole('button', { name: `Probe Tiny local ${suffix}` }).click();
  await expect(local).toContainText('Probe failed', { timeout: 90_000 });
  await expect(local).toContainText('does not exist on this worker');
  await page.screenshot({ path: testInfo.outputPath('models-filled.png'), fullPage: true });

  // The LLM node's picker lists it with its provider and shows its badges.
  const workflowId = await createWorkflow(page, `Asks a model ${suffix}`, {
    nodes: [
      docNode('trigger', 'manual-trigger', 100, 200),
      docNode('ask', 'llm', 400, 120, { prompt: 'Say hello' }),
      docNode('helper', 'agent', 400, 320, { prompt: 'Help', tools: [] }),
    ],
    edges: [docEdge('trigger', 'out', 'ask'), docEdge('trigger', 'out', 'helper')],
  });
  await page.goto(`/workflows/${workflowId}`);
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  await nodeCard(page, 'ask').click();
  const picker = page.getByLabel('Model', { exact: true });
  await expect(picker).toBeEnabled();
  await picker.selectOption({ label: `${name} · Ollama` });
  await expect(page.getByTestId('model-picked')).toContainText('Tools');
  await page.screenshot({ path: testInfo.outputPath('models-picker.png') });

  // The Agent node's tools: an "Add" button appends a template row, listed above the JSON.
  await nodeCard(page, 'helper').click();
  await expect(page.getByText('No tools yet')).toBeVisible();
  await page.getByRole('group', { name: 'Add tool' }).getByRole('button', { name: '+ HTTP' }).click();
  await page.getByLabel('Add a node as a tool').selectOption({ label: 'Send email' });
  const tools = page.getByRole('list', { name: 'Declared tools' });
  await expect(tools.getByRole('listitem')).toHaveCount(2);
  await expect(tools.getByRole('listitem').first()).toContainText('http_tool');
  await expect(tools.getByRole('listitem').nth(1)).toContainText('send-email');
  await page.screenshot({ path: testInfo.outputPath('agent-tools.png') });
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('save-status')).toHaveText('Saved');
  const saved = await api<{
    workflow: { document: { nodes: Array<{ id: string; params: Record<string, unknown> }> } };
  }>(page, 'GET', `/api/workflows/${workflowId}`);
  const params = Object.fromEntries(saved.workflow.document.nodes.map((n) => [n.id, n.params]));
  expect(params.ask.model).toMatch(/^mdl_/);
  expect((params.helper.tools as Array<{ kind: string; name: string }>).map((t) => [t.kind, t.name])).toEqual([
    ['http', 'http_tool'],
    ['node', 'send-email'],
  ]);

  // Delete, after a confirmation.
  await page.goto('/models');
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  await page
    .getByRole('row')
    .filter({ hasText: name })
    .getByRole('button', { name: `Delete ${name}` })
    .click();
  const confirm = page.getByRole('dialog', { name: `Delete “${name}”?` });
  await confirm.getByRole('button', { name: 'Delete model' }).click();
  await expect(page.getByRole('row').filter({ hasText: name })).toHaveCount(0);
  await expect(page.getByRole('row').filter({ hasText: `Tiny local ${suffix}` })).toHaveCount(1);
});
