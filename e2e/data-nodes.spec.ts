// The data nodes (issue 7) drawn, configured in the inspector, run and read in the run panel, in real Chromium. One
// flow turns orders into their best-priced lines: Split out → Filter → Remove duplicates → Sort → Limit → Rename
// keys → Aggregate. Another stamps a due date, hashes it and compares two stock lists: Date & time → Crypto →
// Compare datasets. Each node's output in the run panel is checked whole.
import { createHash } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { signIn } from './session';
import { newWorkflow } from './run-helpers';
import { connect, dragFromPalette, fillCode, nodeCard, runPanel, saveAndRun, settledCenter } from './canvas-helpers';

async function namedWorkflow(page: Page, name: string) {
  await signIn(page);
  await newWorkflow(page);
  await page.getByLabel('Workflow name').fill(name);
  await page.keyboard.press('Enter');
}

/** Drops the nodes, the first one where the view centres it and the others at offsets from it. */
async function place(page: Page, nodes: Array<[title: string, dx: number, dy: number]>) {
  const [[first], ...rest] = nodes;
  await dragFromPalette(page, first, 400, 400);
  const at = await settledCenter(page, first);
  for (const [title, dx, dy] of rest) await dragFromPalette(page, title, at.x + dx, at.y + dy);
}

async function chain(page: Page, names: string[]) {
  for (let i = 1; i < names.length; i++) await connect(page, names[i - 1], 'out', names[i]);
  await expect(page.locator('.react-flow__edge')).toHaveCount(names.length - 1);
}

/** Selects a node on the canvas and checks its output in the run panel, whole. */
async function expectOutput(page: Page, name: string, value: unknown) {
  const { detail } = runPanel(page);
  await nodeCard(page, name).click();
  await expect(detail.locator('.step-detail-head h3')).toHaveText(name);
  await expect(detail.getByTestId('json-output')).toHaveText(JSON.stringify(value, null, 2));
}

const ORDERS = {
  orders: [
    {
      id: 'o1',
      customer: 'ada',
      lines: [
        { sku: 'A-1', qty: 2, unit_price: 5 },
        { sku: 'B-2', qty: 0, unit_price: 7 },
      ],
    },
    {
      id: 'o2',
      customer: 'bob',
      lines: [
        { sku: 'C-3', qty: 1, unit_price: 30 },
        { sku: 'A-1', qty: 4, unit_price: 5 },
      ],
    },
    { id: 'o3', customer: 'cy', lines: [{ sku: 'D-4', qty: 3, unit_price: 12 }] },
  ],
};

test('list nodes: split out, filter, remove duplicates, sort, limit, rename keys, aggregate', async ({ page }) => {
  test.setTimeout(480_000);
  await namedWorkflow(page, 'Best-priced order lines');
  // Three rows of three, centred on Sort; single-output cards, so nothing sticks out between them.
  await place(page, [
    ['Sort', 0, 0],
    ['Manual trigger', -270, -200],
    ['Split out', 0, -200],
    ['Filter', 270, -200],
    ['Remove duplicates', -270, 0],
    ['Limit', 270, 0],
    ['Rename keys', -270, 200],
    ['Aggregate', 0, 200],
  ]);
  await chain(page, [
    'Manual trigger',
    'Split out',
    'Filter',
    'Remove duplicates',
    'Sort',
    'Limit',
    'Rename keys',
    'Aggregate',
  ]);

  await nodeCard(page, 'Manual trigger').click();
  await fillCode(page, 'samplePayload', 'Sample payload', JSON.stringify(ORDERS));

  // One item per order line, carrying its order's id.
  await nodeCard(page, 'Split out').click();
  await page.getByLabel('List', { exact: true }).fill('orders');
  await page.getByLabel('Field to split out').fill('lines');
  await page.getByLabel('Include').selectOption({ label: 'Selected fields of the item' });
  await page.getByLabel('Fields to include').fill('id');

  await nodeCard(page, 'Filter').click();
  await fillCode(page, 'conditions', 'Conditions', '[{ "field": "qty", "operator": "gt", "value": 0 }]');

  await nodeCard(page, 'Remove duplicates').click();
  await page.getByLabel('Compare', { exact: true }).selectOption({ label: 'Chosen fields' });
  await page.getByLabel('Fields to compare').fill('sku');

  await nodeCard(page, 'Sort').click();
  await fillCode(page, 'keys', 'Sort by', '[{ "field": "unit_price", "order": "desc" }]');

  await nodeCard(page, 'Limit').click();
  await page.getByLabel('Max items').fill('2');

  await nodeCard(page, 'Rename keys').click();
  await page.getByRole('button', { name: /Add a field/ }).click();
  await page.getByLabel('Renames name 1').fill('unit_price');
  await page.getByLabel('Renames value 1').fill('price');

  await nodeCard(page, 'Aggregate').click();
  await page.getByLabel('Output field').fill('lines');
  await expect(page.locator('.inspector .error-text')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/flow-e2e-data-nodes-list-drawn.png' });

  await saveAndRun(page);
  await expect(runPanel(page).status).toHaveAttribute('data-status', 'succeeded', { timeout: 120_000 });
  const line = (id: string, sku: string, qty: number, unit_price: number) => ({ id, sku, qty, unit_price });
  await expectOutput(page, 'Split out', [
    line('o1', 'A-1', 2, 5),
    line('o1', 'B-2', 0, 7),
    line('o2', 'C-3', 1, 30),
    line('o2', 'A-1', 4, 5),
    line('o3', 'D-4', 3, 12),
  ]);
  await expectOutput(page, 'Filter', [
    line('o1', 'A-1', 2, 5),
    line('o2', 'C-3', 1, 30),
    line('o2', 'A-1', 4, 5),
    line('o3', 'D-4', 3, 12),
  ]);
  await expectOutput(page, 'Remove duplicates', [
    line('o1', 'A-1', 2, 5),
    line('o2', 'C-3', 1, 30),
    line('o3', 'D-4', 3, 12),
  ]);
  await expectOutput(page, 'Sort', [line('o2', 'C-3', 1, 30), line('o3', 'D-4', 3, 12), line('o1', 'A-1', 2, 5)]);
  await expectOutput(page, 'Limit', [line('o2', 'C-3', 1, 30), line('o3', 'D-4', 3, 12)]);
  const renamed = [
    { id: 'o2', sku: 'C-3', qty: 1, price: 30 },
    { id: 'o3', sku: 'D-4', qty: 3, price: 12 },
  ];
  await expectOutput(page, 'Rename keys', renamed);
  await expectOutput(page, 'Aggregate', { lines: renamed });
  await page.screenshot({ path: 'test-results/flow-e2e-data-nodes-list-run.png' });
});

test('object nodes: date & time, crypto, compare datasets', async ({ page }) => {
  test.setTimeout(480_000);
  await namedWorkflow(page, 'Restock check');
  await place(page, [
    ['Date & time', 0, 0],
    ['Manual trigger', -270, 0],
    ['Crypto', 270, 0],
    ['Compare datasets', 0, 200],
  ]);
  await chain(page, ['Manual trigger', 'Date & time', 'Crypto', 'Compare datasets']);

  const stock = {
    placedAt: '2024-03-31T10:00:00Z',
    old: [
      { sku: 'A-1', stock: 5 },
      { sku: 'B-2', stock: 1 },
    ],
    new: [
      { sku: 'A-1', stock: 3 },
      { sku: 'C-3', stock: 9 },
    ],
  };
  await nodeCard(page, 'Manual trigger').click();
  await fillCode(page, 'samplePayload', 'Sample payload', JSON.stringify(stock));

  // Two calendar days after a time on the day Berlin's clocks went forward, on Berlin's clock.
  await nodeCard(page, 'Date & time').click();
  await page.getByLabel('Operation').selectOption({ label: 'Add to a date' });
  await page.getByLabel('Date', { exact: true }).fill('{{ $input.placedAt }}');
  await page.getByLabel('Timezone').fill('Europe/Berlin');
  await page.getByLabel('Format').fill('yyyy-MM-dd HH:mm');
  await page.getByLabel('Amount').fill('2');
  await page.getByLabel('Output field').fill('dueAt');

  await nodeCard(page, 'Crypto').click();
  await page.getByLabel('Value', { exact: true }).fill('{{ $input.dueAt }}');
  await page.getByLabel('Output field').fill('checksum');

  await nodeCard(page, 'Compare datasets').click();
  await page.getByLabel('Dataset A').fill('{{ $input.old }}');
  await page.getByLabel('Dataset B').fill('{{ $input.new }}');
  await page.getByLabel('Key fields', { exact: true }).fill('sku');
  await expect(page.locator('.inspector .error-text')).toHaveCount(0);

  await saveAndRun(page);
  await expect(runPanel(page).status).toHaveAttribute('data-status', 'succeeded', { timeout: 120_000 });
  const dueAt = '2024-04-02 12:00';
  await expectOutput(page, 'Date & time', { ...stock, dueAt });
  const checksum = createHash('sha256').update(dueAt).digest('hex');
  await expectOutput(page, 'Crypto', { ...stock, dueAt, checksum });
  await expectOutput(page, 'Compare datasets', {
    inBoth: [],
    onlyInA: [{ sku: 'B-2', stock: 1 }],
    onlyInB: [{ sku: 'C-3', stock: 9 }],
    different: [{ key: { sku: 'A-1' }, a: { sku: 'A-1', stock: 5 }, b: { sku: 'A-1', stock: 3 }, fields: ['stock'] }],
  });
  // The inspector previews Crypto's value against its input in this run.
  await nodeCard(page, 'Crypto').click();
  await expect(page.locator('[data-param="value"]').getByTestId('expression-preview')).toContainText(dueAt);
  await page.screenshot({ path: 'test-results/flow-e2e-data-nodes-object-run.png' });
});
