// Driving the editor's canvas in the specs: find a node's card and its port labels, drop a node from the palette,
// wait for a card to stop moving, and drag a connection between two handles.
import { expect, type Page } from '@playwright/test';

export const nodeCard = (page: Page, name: string) =>
  page.locator(`[data-testid="workflow-node"][data-node-name="${name}"]`);

export const portLabels = (page: Page, name: string) =>
  nodeCard(page, name).locator('.react-flow__handle.source .wf-port-label');

export async function dragFromPalette(page: Page, title: string, x: number, y: number) {
  await page.getByRole('button', { name: `Add ${title}` }).dragTo(page.locator('[data-canvas]'), {
    targetPosition: { x, y },
  });
  await expect(nodeCard(page, title)).toBeVisible();
}

/** Where a card sits on the canvas once the viewport stops moving (it settles after the first drop). */
export async function settledCenter(page: Page, name: string): Promise<{ x: number; y: number }> {
  const canvas = (await page.locator('[data-canvas]').boundingBox())!;
  let previous = '';
  for (;;) {
    const box = (await nodeCard(page, name).boundingBox())!;
    const center = { x: box.x - canvas.x + box.width / 2, y: box.y - canvas.y + box.height / 2 };
    if (JSON.stringify(center) === previous) return center;
    previous = JSON.stringify(center);
    await page.waitForTimeout(150);
  }
}

/** Drags from `from`'s output `port` to `to`'s input `toPort` (its first input when absent). */
export async function connect(page: Page, from: string, port: string, to: string, toPort?: string) {
  const source = await nodeCard(page, from).locator(`.react-flow__handle.source[data-port="${port}"]`).boundingBox();
  const targets = nodeCard(page, to).locator(
    toPort ? `.react-flow__handle.target[data-port="${toPort}"]` : '.react-flow__handle.target',
  );
  const target = await targets.first().boundingBox();
  if (!source || !target)
    throw new Error(`Handles of ${from} (${port}) → ${to}${toPort ? ` (${toPort})` : ''} are not on screen.`);
  await page.mouse.move(source.x + source.width / 2, source.y + source.height / 2);
  await page.mouse.down();
  await page.mouse.move((source.x + target.x) / 2, (source.y + target.y) / 2 + 20, { steps: 8 });
  await page.mouse.move(target.x + target.width / 2, target.y + target.height / 2, { steps: 8 });
  await page.mouse.up();
}

/** Replaces the text of a code or JSON param's editor (Monaco), as typing after select-all would. */
export async function fillCode(page: Page, param: string, label: string, text: string) {
  const field = page.locator(`[data-param="${param}"]`);
  await expect(field.getByRole('textbox', { name: label })).toBeAttached();
  // The field may turn from its preview into Monaco at any moment (when the browser is idle): a click on the box
  // opens the one and focuses the other, and it is repeated if it landed during the swap.
  await expect(async () => {
    await field.locator('.code-field').click();
    await expect(field.locator('.monaco-editor.focused')).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  // Cleared first: text typed over a selection would have Monaco close its brackets once more.
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
  await expect(field.locator('.error-text')).toHaveCount(0);
}

/** Saves, then starts a run with Ctrl+Enter from the canvas, as the editor's shortcuts do. */
export async function saveAndRun(page: Page) {
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('save-status')).toHaveText('Saved');
  await page.locator('.canvas .react-flow__pane').click({ position: { x: 40, y: 40 } });
  await page.keyboard.press('Control+Enter');
}

/** The run panel under the canvas, its run status and the selected step's detail. */
export function runPanel(page: Page) {
  const panel = page.getByRole('region', { name: 'Run details' });
  return {
    panel,
    status: panel.locator('.run-panel-head [data-status]').first(),
    detail: panel.getByTestId('step-detail'),
  };
}

/** Drops a node from the palette and renames it in the inspector, which shows the dropped node. */
export async function dropNamed(page: Page, title: string, name: string, x: number, y: number) {
  await dragFromPalette(page, title, x, y);
  await page.getByLabel('Node name').fill(name);
  await expect(nodeCard(page, name)).toBeVisible();
}

/** Fills rule `n` of a Switch in the inspector's rows editor. */
export async function fillRule(
  page: Page,
  n: number,
  rule: { output: string; value: string; operator: string; compare: string },
) {
  await page.getByLabel(`Output name, rule ${n}`).fill(rule.output);
  await page.getByLabel(`Value, rule ${n}`).fill(rule.value);
  await page.getByLabel(`Operator, rule ${n}`).selectOption({ label: rule.operator });
  await page.getByLabel(`Compare with, rule ${n}`).fill(rule.compare);
}
