// A hosted two-page form in real Chromium: the editor offers both form nodes and shows where the published form
// lives; a visitor (not signed in) is told which fields need attention, has a too-large file refused before it is
// uploaded, sends the first page, is taken to the Form node's page when the run gets there, and sees the
// confirmation; the answers and the file reach the run; the used page's link says it was sent. Labels and values
// holding markup are shown as text.
import { expect, test } from '@playwright/test';
import { api, createWorkflow, docEdge, docNode } from './api';
import { nodeCard } from './canvas-helpers';
import { signIn } from './session';

test.describe.configure({ timeout: 300_000 });

const HOSTILE = '<img src=x onerror="window.hacked=1">';

test('a two-page form: refused fields, the next page when the run gets there, and the answers in the run', async ({
  page,
  browser,
}, testInfo) => {
  await signIn(page);
  const id = await createWorkflow(page, `Onboarding form ${Date.now()}`, {
    nodes: [
      docNode('intake', 'form-trigger', 100, 200, {
        title: 'New hire',
        description: 'Tell us who is joining.\nFields marked * are required.',
        fields: [
          { key: 'name', label: 'Full name', type: 'text', required: true },
          { key: 'email', label: 'Work email', type: 'email', required: true },
          { key: 'team', label: 'Team', type: 'select', options: 'Sales, Engineering', required: true },
          { key: 'note', label: HOSTILE, type: 'textarea' },
          { key: 'cv', label: 'CV', type: 'file' },
        ],
        maxFileMb: 1,
        confirmation: 'Thank you! IT will have everything ready on day one.',
      }),
      docNode('prepare', 'set-fields', 400, 200, { fields: { greeting: 'Welcome {{ $input.name }}' } }),
      docNode('equipment', 'form', 700, 200, {
        title: 'Equipment',
        description: 'What does the new hire need?',
        fields: [
          { key: 'laptop', label: 'Laptop', type: 'select', options: 'Mac, Linux', required: true },
          { key: 'phone', label: 'Phone', type: 'boolean' },
        ],
      }),
      docNode('done', 'set-fields', 1000, 200, { fields: { who: '{{ $node("intake").name }}' } }),
    ],
    edges: [
      docEdge('intake', 'out', 'prepare'),
      docEdge('prepare', 'out', 'equipment'),
      docEdge('equipment', 'out', 'done'),
    ],
  });
  await api(page, 'POST', `/api/workflows/${id}/publish`);

  await page.goto(`/workflows/${id}`);
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  await expect(page.getByRole('button', { name: 'Add Form trigger' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add Form', exact: true })).toBeVisible();
  const bar = page.getByTestId('form-bar');
  await expect(bar.getByRole('link', { name: `/form/${id}` })).toBeVisible();
  await nodeCard(page, 'intake').click();
  await expect(page.getByLabel('Form title')).toHaveValue('New hire');
  await expect(page.getByLabel('Who may open it')).toHaveValue('public');
  await page.screenshot({ path: testInfo.outputPath('form-editor.png') });

  // The visitor is not signed in.
  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto(`/form/${id}`);
  await expect(visitor.locator('html[data-hydrated]')).toBeAttached();
  await expect(visitor.getByRole('heading', { name: 'New hire' })).toBeVisible();
  await expect(visitor.getByText(HOSTILE)).toBeVisible();
  await visitor.screenshot({ path: testInfo.outputPath('form-page.png'), fullPage: true });

  await visitor.getByLabel('Work email').fill('grace at acme');
  await visitor.getByRole('button', { name: 'Submit' }).click();
  await expect(visitor.getByTestId('form-errors')).toContainText('3 fields need your attention');
  await expect(visitor.getByText('Full name is required.')).toBeVisible();
  await expect(visitor.getByText('Work email must be an email address such as name@example.com.')).toBeVisible();
  await expect(visitor.getByText('Team is required.')).toBeVisible();
  await expect(visitor.getByLabel('Work email')).toHaveValue('grace at acme');
  await expect(visitor.getByLabel('Work email')).toHaveAttribute('aria-invalid', 'true');
  await visitor.screenshot({ path: testInfo.outputPath('form-errors.png'), fullPage: true });

  await visitor.getByLabel('Full name').fill('Grace Hopper');
  await visitor.getByLabel('Work email').fill('grace@acme.test');
  await visitor.getByLabel('Team').selectOption('Engineering');
  await visitor.getByLabel(HOSTILE).fill('<script>window.hacked=2</script>');
  await visitor.getByLabel('CV').setInputFiles({
    name: 'big.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.alloc(2 * 1024 * 1024, 1),
  });
  await visitor.getByRole('button', { name: 'Submit' }).click();
  await expect(visitor.getByText('CV is larger than 1.0 MB (the file “big.pdf” is 2.0 MB).')).toBeVisible();
  await visitor.getByLabel('CV').setInputFiles({
    name: 'grace-cv.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4 Grace'),
  });
  await visitor.getByRole('button', { name: 'Submit' }).click();

  await expect(visitor.getByRole('heading', { name: 'Equipment' })).toBeVisible({ timeout: 60_000 });
  await expect(visitor.getByText('New hire', { exact: true })).toBeVisible();
  const stepUrl = visitor.url();
  expect(stepUrl).toMatch(/\/form\/run\/run_[^/]+\/[A-Za-z0-9_-]{43}\?step=equipment$/);
  await visitor.screenshot({ path: testInfo.outputPath('form-second-page.png'), fullPage: true });
  await visitor.getByLabel('Laptop').selectOption('Linux');
  await visitor.locator('label.switch').click();
  await visitor.getByRole('button', { name: 'Submit' }).click();
  await expect(visitor.getByTestId('form-done')).toContainText('IT will have everything ready on day one.');
  await visitor.screenshot({ path: testInfo.outputPath('form-done.png'), fullPage: true });
  expect(await visitor.evaluate(() => (window as { hacked?: number }).hacked)).toBeUndefined();

  const runId = decodeURIComponent(new URL(stepUrl).pathname.split('/')[3]);
  await expect
    .poll(async () => (await api<{ run: { status: string } }>(page, 'GET', `/api/runs/${runId}`)).run.status)
    .toBe('succeeded');
  const { run } = await api<{ run: { trigger: Record<string, unknown>; output: unknown } }>(
    page,
    'GET',
    `/api/runs/${runId}`,
  );
  expect(run.output).toEqual({ done: { laptop: 'Linux', phone: true, who: 'Grace Hopper' } });
  expect(run.trigger).toMatchObject({
    name: 'Grace Hopper',
    email: 'grace@acme.test',
    team: 'Engineering',
    note: '<script>window.hacked=2</script>',
    cv: { name: 'grace-cv.pdf', mimeType: 'application/pdf', bytes: 14 },
  });

  await visitor.goto(stepUrl);
  await expect(visitor.getByTestId('form-closed')).toContainText(
    'The page “Equipment” of the form “New hire” was already sent',
  );
  await visitor.screenshot({ path: testInfo.outputPath('form-used-link.png'), fullPage: true });
});
