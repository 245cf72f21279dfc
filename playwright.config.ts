// End-to-end tests in real Chromium against a running Baton (BATON_URL), or one e2e/global-setup.ts starts.
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from './temporal/services/chromium-launch';

export default defineConfig({
  testDir: './e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './e2e/global-setup.ts',
  workers: 1,
  retries: 0,
  fullyParallel: false,
  timeout: 180_000,
  expect: { timeout: 30_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  outputDir: process.env.BATON_E2E_NAME ? `test-results/${process.env.BATON_E2E_NAME}` : 'test-results',
  use: {
    baseURL: process.env.BATON_URL,
    viewport: { width: 1440, height: 900 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: { executablePath: chromiumPath(), args: CHROMIUM_ARGS },
  },
});
