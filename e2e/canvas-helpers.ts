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
