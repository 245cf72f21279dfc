// The app's top navigation in real Chromium (docs/decisions/074): every item reachable from the keyboard, the Build,
// Settings and account menus opening and closing with keys and clicks, the current page shown even inside a closed
// menu, the Moderation link for instance admins only (e2e/global-setup.ts lists e2e-moderator@baton.test in
// BATON_INSTANCE_ADMINS), and a bar that fits at 1024, 1280 and 1600 px and folds behind "Menu" on a narrow window.
import { expect, test, type Browser, type Page } from '@playwright/test';
import mongoose from 'mongoose';
import { createUser, getUserByEmail } from '../db/users';
import { createWorkspace } from '../db/workspaces';
import { connectE2eDatabase } from './db';

test.describe.configure({ timeout: 240_000 });

const PASSWORD = 'nav-password-1';

test.beforeAll(async () => {
  await connectE2eDatabase();
});

test.afterAll(async () => {
  await mongoose.disconnect();
});

/** A user who owns a workspace of their own, signed in in a fresh context. */
async function signInNewOwner(browser: Browser, email: string, name: string, width = 1440): Promise<Page> {
  if (!(await getUserByEmail(email))) {
    const user = await createUser({ email, name, password: PASSWORD });
    await createWorkspace({ name: `${name.split(' ')[0]}’s team`, ownerId: user.id });
  }
  const page = await (await browser.newContext({ viewport: { width, height: 800 } })).newPage();
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Workflows', exact: true })).toBeVisible();
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  return page;
}

const mainNav = (page: Page) => page.getByRole('navigation', { name: 'Main' });
const menuButton = (page: Page, name: 'Build' | 'Settings') => mainNav(page).getByRole('button', { name });
const accountButton = (page: Page) => page.getByRole('button', { name: /^Account: / });

/** The accessible name of the focused element, as a screen reader would say it first. */
function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return '';
    const labelledBy = el.getAttribute('aria-labelledby');
    if (labelledBy) return document.getElementById(labelledBy)?.textContent?.trim() ?? '';
    return (el.getAttribute('aria-label') ?? el.textContent ?? '').trim();
  });
}

test('an owner reaches every item from the keyboard; the menus open and close with keys', async ({ browser }) => {
  const page = await signInNewOwner(browser, `nav-owner-${Date.now().toString(36)}@baton.test`, 'Nora Owner');

  // Tab walks the bar in order; closed menus keep their links out of the way.
  await page.getByRole('link', { name: 'Baton', exact: true }).focus();
  const order: string[] = [];
  for (let i = 0; i < 9; i++) {
    await page.keyboard.press('Tab');
    order.push(await focusedName(page));
  }
  expect(order).toEqual([
    expect.stringMatching(/^Workspace: /),
    'Workflows',
    'Runs',
    'Inbox',
    'Templates',
    'Marketplace',
    'Build',
    'Settings',
    'Account: Nora Owner',
  ]);

  // Enter opens the Build menu and leaves focus on its button; arrows, Home and End move through it, wrapping.
  const build = menuButton(page, 'Build');
  await build.focus();
  await page.keyboard.press('Enter');
  await expect(build).toHaveAttribute('aria-expanded', 'true');
  await expect(build).toBeFocused();
  const buildMenu = page.locator(`[id="${await build.getAttribute('aria-controls')}"]`);
  await expect(buildMenu.getByRole('link')).toHaveCount(3);
  await page.keyboard.press('ArrowDown');
  await expect(buildMenu.getByRole('link', { name: 'Tables' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(buildMenu.getByRole('link', { name: 'Models' })).toBeFocused();
  await page.keyboard.press('End');
  await expect(buildMenu.getByRole('link', { name: 'Agents' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(buildMenu.getByRole('link', { name: 'Tables' })).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(buildMenu.getByRole('link', { name: 'Agents' })).toBeFocused();
  await page.keyboard.press('Home');
  await expect(buildMenu.getByRole('link', { name: 'Tables' })).toBeFocused();
  // A link's description is read after its name, not as part of it.
  await expect(buildMenu.getByRole('link', { name: 'Tables', exact: true })).toHaveAccessibleDescription(
    'Data your workflows read and write',
  );

  // Escape closes it and gives focus back to its button; Space toggles it like Enter.
  await page.keyboard.press('Escape');
  await expect(build).toHaveAttribute('aria-expanded', 'false');
  await expect(build).toBeFocused();
  await expect(buildMenu.getByRole('link')).toHaveCount(0);
  await page.keyboard.press('Space');
  await expect(build).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('Space');
  await expect(build).toHaveAttribute('aria-expanded', 'false');

  // Arrow Down on the closed button opens it at the first link; Enter follows it, which closes the menu, and the
  // closed button then names the current page.
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(mainNav(page).getByRole('link', { name: 'Models' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/models$/);
  await expect(page.getByRole('heading', { name: 'Models', level: 1 })).toBeVisible();
  await expect(build).toHaveAttribute('aria-expanded', 'false');
  await expect(build).toHaveAccessibleName('Build, current page: Models');
  await build.click();
  await expect(mainNav(page).getByRole('link', { name: 'Models' })).toHaveAttribute('aria-current', 'page');

  // A click outside closes it; so does tabbing past its last link.
  await page.mouse.click(1300, 700);
  await expect(build).toHaveAttribute('aria-expanded', 'false');
  const settings = menuButton(page, 'Settings');
  await settings.focus();
  await page.keyboard.press('ArrowUp');
  await expect(settings).toHaveAttribute('aria-expanded', 'true');
  await expect(mainNav(page).getByRole('link', { name: 'Audit' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(accountButton(page)).toBeFocused();
  await expect(settings).toHaveAttribute('aria-expanded', 'false');

  // An owner who is no instance admin: Settings holds the workspace's pages and no Moderation.
  await settings.click();
  const settingsLinks = mainNav(page).getByRole('list', { name: 'Workspace' }).getByRole('link');
  await expect(settingsLinks).toHaveText(['Credentials', 'Members', 'Audit'].map((l) => new RegExp(`^${l}`)));
  await expect(page.getByRole('link', { name: 'Moderation' })).toHaveCount(0);
  await page.keyboard.press('Escape');

  // Every item, followed from the keyboard, opens its page.
  const items: Array<[menu: 'Build' | 'Settings' | null, name: string, path: string, heading: RegExp]> = [
    [null, 'Workflows', '/', /^Workflows$/],
    [null, 'Runs', '/runs', /^Runs$/],
    [null, 'Inbox', '/inbox', /^Inbox$/],
    [null, 'Templates', '/templates', /^Templates$/],
    [null, 'Marketplace', '/marketplace', /^Marketplace$/],
    ['Build', 'Tables', '/tables', /^Tables$/],
    ['Build', 'Models', '/models', /^Models$/],
    ['Build', 'Agents', '/agents', /^Agent activity$/],
    ['Settings', 'Credentials', '/credentials', /^Credentials$/],
    ['Settings', 'Members', '/settings/members', /^Members$/],
    ['Settings', 'Audit', '/audit', /^Audit log$/],
  ];
  for (const [menu, name, path, heading] of items) {
    if (menu) {
      await menuButton(page, menu).focus();
      await page.keyboard.press('Enter');
    }
    const link = mainNav(page).getByRole('link', { name, exact: true });
    await link.focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
    expect(new URL(page.url()).pathname).toBe(path);
    await expect(mainNav(page).getByRole('link', { name, exact: true })).toHaveCount(menu ? 0 : 1);
  }

  // The account menu: who is signed in, Account and Sign out, with the same keys.
  const account = accountButton(page);
  await account.focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('banner').getByRole('link', { name: 'Account', exact: true })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('banner').getByRole('button', { name: 'Sign out' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(account).toBeFocused();
  await page.keyboard.press('Enter');
  await page.getByRole('banner').getByRole('link', { name: 'Account', exact: true }).click();
  await expect(page).toHaveURL(/\/account$/);
  await account.click();
  await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
});

test('an instance admin reaches Moderation under Settings, shown as the current page', async ({ browser }) => {
  const page = await signInNewOwner(browser, 'e2e-moderator@baton.test', 'Mo Moderator');
  const settings = menuButton(page, 'Settings');
  await settings.focus();
  await page.keyboard.press('ArrowUp');
  const moderation = mainNav(page).getByRole('list', { name: 'Instance' }).getByRole('link', { name: 'Moderation' });
  await expect(moderation).toBeFocused();
  await expect(moderation).toHaveAttribute('href', '/marketplace/moderation');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/marketplace\/moderation$/);
  await expect(page.getByRole('heading', { name: 'Marketplace moderation', level: 1 })).toBeVisible();
  // The more specific item wins: this is Moderation, not Marketplace.
  await expect(settings).toHaveAccessibleName('Settings, current page: Moderation');
  await expect(mainNav(page).getByRole('link', { name: 'Marketplace' })).not.toHaveAttribute('aria-current');
});

for (const width of [1024, 1280, 1600]) {
  test(`at ${width} px every item of the bar is on screen and nothing overflows`, async ({ browser }) => {
    const page = await signInNewOwner(browser, 'e2e-moderator@baton.test', 'Mo Moderator', width);
    await page.goto('/tables');
    await expect(page.getByRole('heading', { name: 'Tables', level: 1 })).toBeVisible();
    const header = page.locator('header.topnav');
    expect(await header.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    const bar = [
      page.getByRole('link', { name: 'Baton', exact: true }),
      mainNav(page).getByRole('link', { name: 'Workflows' }),
      mainNav(page).getByRole('link', { name: 'Marketplace' }),
      menuButton(page, 'Build'),
      menuButton(page, 'Settings'),
      accountButton(page),
    ];
    for (const item of bar) {
      await expect(item).toBeVisible();
      const box = (await item.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(width);
    }
    await expect(menuButton(page, 'Build')).toHaveClass(/current/);
    await page.screenshot({ path: test.info().outputPath(`nav-${width}.png`) });
    // Open, each menu stays on screen too.
    const menus = {
      build: menuButton(page, 'Build'),
      settings: menuButton(page, 'Settings'),
      account: accountButton(page),
    };
    for (const [name, button] of Object.entries(menus)) {
      await button.click();
      const panel = page.locator(`[id="${await button.getAttribute('aria-controls')}"]`);
      await expect(panel.getByRole('link').first()).toBeVisible();
      const box = (await panel.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(width);
      await page.screenshot({ path: test.info().outputPath(`nav-${width}-${name}.png`) });
    }
  });
}

test('a narrow window folds the navigation behind Menu, without overflow', async ({ browser }) => {
  const page = await signInNewOwner(browser, 'e2e-moderator@baton.test', 'Mo Moderator', 420);
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  const toggle = mainNav(page).getByRole('button', { name: 'Menu' });
  await expect(toggle).toBeVisible();
  await expect(mainNav(page).getByRole('link', { name: 'Workflows' })).toBeHidden();
  await expect(accountButton(page)).toBeVisible();

  await toggle.focus();
  await page.keyboard.press('Enter');
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await expect(mainNav(page).getByRole('link', { name: 'Workflows' })).toBeVisible();
  // Menus open in place, inside the panel; Escape closes the inner one first, then the panel.
  await menuButton(page, 'Settings').focus();
  await page.keyboard.press('Enter');
  await expect(mainNav(page).getByRole('link', { name: 'Moderation' })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await page.screenshot({ path: test.info().outputPath('nav-420-open.png') });
  await page.keyboard.press('Escape');
  await expect(menuButton(page, 'Settings')).toBeFocused();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('Escape');
  await expect(toggle).toBeFocused();
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');

  // Following a link closes the panel.
  await toggle.click();
  await mainNav(page).getByRole('link', { name: 'Runs' }).click();
  await expect(page.getByRole('heading', { name: 'Runs', exact: true })).toBeVisible();
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(mainNav(page).getByRole('link', { name: 'Runs' })).toBeHidden();
});
