// Steps the run specs share around the canvas helpers: open a new workflow, fill a Set fields node and the trigger's
// sample payload, save under a name, and run from the editor as a user does (Ctrl+Enter on the canvas).
import { expect, type Page } from '@playwright/test';
import { fillCode, nodeCard, runPanel } from './canvas-helpers';

/** From a page of the app: presses N (the new-workflow shortcut) once the page has hydrated, and waits for the editor. */
export async function newWorkflow(page: Page) {
  // A key pressed before hydration reaches no handler, and the first page a fresh dev server serves compiles the app.
  await expect(page.locator('html[data-hydrated]')).toBeAttached({ timeout: 120_000 });
  await page.keyboard.press('n');
  // The first editor a fresh dev server serves is compiled on that request.
  await expect(page).toHaveURL(/\/workflows\/[0-9a-f]{24}$/, { timeout: 120_000 });
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
}

/** Selects the Set fields node `name` and gives it the fields, in order, on top of its input. */
export async function setFields(page: Page, name: string, fields: Record<string, string>) {
  await nodeCard(page, name).click();
  let n = 0;
  for (const [field, value] of Object.entries(fields)) {
    n++;
    await page.getByRole('button', { name: /Add a field/ }).click();
    await page.getByLabel(`Fields name ${n}`).fill(field);
    await page.getByLabel(`Fields value ${n}`).fill(value);
  }
}

/** What a run started from the editor without input gets: the Manual trigger's sample payload. */
export async function setSamplePayload(page: Page, json: string) {
  await nodeCard(page, 'Manual trigger').click();
  await fillCode(page, 'samplePayload', 'Sample payload', json);
}

export async function saveAs(page: Page, name: string) {
  await page.getByLabel('Workflow name').fill(name);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('save-status')).toHaveText('Saved');
}

/** The id of the run the panel shows (its head carries it whole in the title). */
export const shownRunId = (page: Page) => runPanel(page).panel.locator('.run-panel-head .mono').getAttribute('title');

/** Ctrl+Enter with the canvas focused; returns the id of the new run once the panel shows it. */
export async function runFromEditor(page: Page): Promise<string> {
  const before = (await runPanel(page).panel.count()) > 0 ? await shownRunId(page) : null;
  await page.locator('.canvas .react-flow__pane').click({ position: { x: 40, y: 40 } });
  await page.keyboard.press('Control+Enter');
  await expect(runPanel(page).panel).toBeVisible();
  await expect.poll(() => shownRunId(page)).not.toBe(before);
  return (await shownRunId(page))!;
}
