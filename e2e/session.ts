// Signing in as the e2e owner, shared by the specs: the setup page on a fresh install, else the login page.
import { expect, type Page } from '@playwright/test';

export const OWNER = { name: 'E2E Owner', email: 'e2e-owner@baton.test', password: 'e2e-password-1' };

export async function signIn(page: Page) {
  await page.goto('/');
  const path = new URL(page.url()).pathname;
  if (path === '/setup') await page.getByLabel('Your name').fill(OWNER.name);
  if (path === '/setup' || path === '/login') {
    await page.getByLabel('Email').fill(OWNER.email);
    await page.getByLabel('Password').fill(OWNER.password);
    await page.keyboard.press('Enter');
  }
  await expect(page.getByRole('heading', { name: 'Workflows' })).toBeVisible();
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
}
