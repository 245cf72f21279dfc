// Wait nodes drawn, run and resumed in real Chromium: a run waiting for its resume link shows the link (copied to
// the clipboard) and its timeout in the run panel; calling the link resumes it with the posted data, and a second
// call is refused. A Wait for the API is resumed with the run panel's Resume form (bad JSON and a refused payload
// shown first). A Wait whose timeout passes goes down "Timed out".
import { expect, test, type Page } from '@playwright/test';
import { signIn } from './session';
import { nodeCard, dragFromPalette, settledCenter, connect, runPanel } from './canvas-helpers';
import { newWorkflow, runFromEditor, saveAs, setFields } from './run-helpers';

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });
// The first page a fresh dev server serves compiles the app, which on a loaded machine takes minutes on its own.
test.describe.configure({ timeout: 300_000 });

/** Manual trigger → Wait → Set fields, the Wait set to `mode`; returns where the Wait sits. */
async function drawWait(page: Page, mode: 'webhook' | 'signal') {
  await dragFromPalette(page, 'Wait', 360, 260);
  const at = await settledCenter(page, 'Wait');
  await dragFromPalette(page, 'Manual trigger', at.x - 280, at.y);
  await dragFromPalette(page, 'Set fields', at.x + 280, at.y - 90);
  await connect(page, 'Manual trigger', 'out', 'Wait', 'in');
  await connect(page, 'Wait', 'out', 'Set fields', 'in');
  await nodeCard(page, 'Wait').click();
  await page.getByRole('combobox', { name: 'Wait', exact: true }).selectOption(mode);
  return at;
}

const waiting = (page: Page) => runPanel(page).detail.getByTestId('waiting-step');

test('a Wait for its resume link: the panel shows the link, calling it resumes the run once', async ({ page }) => {
  await signIn(page);
  await newWorkflow(page);
  await drawWait(page, 'webhook');
  await page.getByLabel('Time out after').fill('10');
  await page.getByLabel('Timeout unit').selectOption('minutes');
  await setFields(page, 'Set fields', { after: 'yes' });
  await saveAs(page, 'Waits for its link');

  await runFromEditor(page);
  await expect(nodeCard(page, 'Wait')).toHaveAttribute('data-status', 'running', { timeout: 60_000 });
  await nodeCard(page, 'Wait').click();
  await expect(waiting(page)).toContainText('Waiting for its resume link to be called');
  await expect(waiting(page).getByTestId('wait-timeout')).toContainText('Times out');
  await expect(waiting(page).getByTestId('wait-timeout')).toContainText('in 10 minutes');
  await expect(runPanel(page).panel.getByRole('button', { name: /^Wait/ })).toContainText('waiting');
  const link = waiting(page).getByLabel('Resume URL');
  await expect(link).toHaveValue(/\/hooks\/wait\/[^/]+\/[^/]+\/[A-Za-z0-9_-]{43}$/);
  const url = await link.inputValue();

  await waiting(page).getByRole('button', { name: 'Copy' }).click();
  await expect(waiting(page).getByRole('status')).toHaveText('Copied.');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
  await page.screenshot({ path: 'test-results/wait-run-link.png' });

  const first = await page.request.post(url, { data: { approved: true, by: 'e2e' } });
  expect(first.status()).toBe(200);
  await expect(runPanel(page).status).toHaveAttribute('data-status', 'succeeded');
  await expect(waiting(page)).toHaveCount(0);
  await nodeCard(page, 'Set fields').click();
  const output = runPanel(page).detail.getByTestId('json-output');
  await expect(output).toContainText('"approved": true');
  await expect(output).toContainText('"by": "e2e"');
  await expect(output).toContainText('"after": "yes"');

  const second = await page.request.post(url, { data: { approved: false } });
  expect(second.status()).toBe(409);
  expect(((await second.json()) as { error: { message: string } }).error.message).toMatch(
    /already resumed|no longer running/,
  );
});

test('a Wait for the API is resumed from the run panel with JSON data', async ({ page }) => {
  await signIn(page);
  await newWorkflow(page);
  await drawWait(page, 'signal');
  await setFields(page, 'Set fields', { after: 'yes' });
  await saveAs(page, 'Waits for the API');

  await runFromEditor(page);
  await expect(nodeCard(page, 'Wait')).toHaveAttribute('data-status', 'running', { timeout: 60_000 });
  await nodeCard(page, 'Wait').click();
  await expect(waiting(page)).toContainText('Waiting to be resumed through the API');
  await expect(waiting(page).getByTestId('wait-timeout')).toHaveText('No timeout: it waits as long as it takes.');
  await expect(waiting(page).getByLabel('Resume URL')).toHaveCount(0);

  const data = waiting(page).getByLabel('Data (optional JSON)');
  const resume = waiting(page).getByRole('button', { name: 'Resume' });
  // Not JSON: refused before anything is sent.
  await data.fill('{ decision: go }');
  await resume.click();
  await expect(waiting(page).getByRole('alert')).toContainText('Data is not valid JSON');
  await expect(data).toHaveAttribute('aria-invalid', 'true');
  // Over the API's 256 KB: the server's refusal is shown, and the node still waits.
  await data.fill(JSON.stringify({ blob: 'x'.repeat(300_000) }));
  await resume.click();
  await expect(waiting(page).getByRole('alert')).toContainText('larger than');
  await expect(nodeCard(page, 'Wait')).toHaveAttribute('data-status', 'running');
  await page.screenshot({ path: 'test-results/wait-run-resume-error.png' });

  await data.fill('{ "decision": "go" }');
  await expect(waiting(page).getByRole('alert')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/wait-run-resume-form.png' });
  await resume.click();
  await expect(runPanel(page).status).toHaveAttribute('data-status', 'succeeded');
  await nodeCard(page, 'Set fields').click();
  const output = runPanel(page).detail.getByTestId('json-output');
  await expect(output).toContainText('"decision": "go"');
  await expect(output).toContainText('"resumedBy": "E2E Owner"');
  await expect(output).toContainText('"after": "yes"');
});

test('a Wait whose timeout passes sends its input down "Timed out"', async ({ page }) => {
  await signIn(page);
  await newWorkflow(page);
  const at = await drawWait(page, 'webhook');
  await page.getByLabel('Time out after').fill('2');
  await page.getByLabel('Timeout unit').selectOption('seconds');
  await dragFromPalette(page, 'Set fields', at.x + 280, at.y + 110);
  await connect(page, 'Wait', 'timeout', 'Set fields 2', 'in');
  await expect(page.locator('.react-flow__edge')).toHaveCount(3);
  await setFields(page, 'Set fields', { how: 'resumed' });
  await setFields(page, 'Set fields 2', { how: 'timed out' });
  await saveAs(page, 'Times out');

  await runFromEditor(page);
  await expect(runPanel(page).status).toHaveAttribute('data-status', 'succeeded', { timeout: 60_000 });
  await expect(nodeCard(page, 'Wait')).toHaveAttribute('data-status', 'succeeded');
  await expect(nodeCard(page, 'Set fields 2')).toHaveAttribute('data-status', 'succeeded');
  await expect(nodeCard(page, 'Set fields')).toHaveAttribute('data-status', 'skipped');
  await nodeCard(page, 'Set fields 2').click();
  await expect(runPanel(page).detail.getByTestId('json-output')).toContainText('"how": "timed out"');
});
