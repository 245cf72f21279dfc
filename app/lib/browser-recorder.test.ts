// A recording session against the local test website in real Chromium, driven only by live input (keys, a pointer
// pick), as the editor drives it: the steps it reports, the password kept out of them, and refused hosts.
import type { RecordedStep, RecorderStatusMessage } from '../../contracts/browser-recorder';
import type { LiveFrame } from '../../contracts/browser-live';
import { startBrowserSite, type BrowserSite } from '../../test/browser-site/server';
import { closeBrowserPool } from '../../nodes/browser/pool';
import { ALLOW_HOSTS_ENV } from '../../nodes/http-request/address-policy';
import { PASSWORD_PLACEHOLDER, RecorderSession } from './browser-recorder.server';

let site: BrowserSite;
const allowBefore = process.env[ALLOW_HOSTS_ENV];

beforeAll(async () => {
  process.env[ALLOW_HOSTS_ENV] = '127.0.0.1'; // the site is on loopback, which the guard refuses by default
  site = await startBrowserSite();
}, 60_000);
afterAll(async () => {
  process.env[ALLOW_HOSTS_ENV] = allowBefore;
  await closeBrowserPool();
  await site?.close();
});

/** A session whose events are collected; `until` waits for a condition on them. */
function recorder() {
  const steps: RecordedStep[] = [];
  const statuses: Array<Omit<RecorderStatusMessage, 'sessionId'>> = [];
  const frames: LiveFrame[] = [];
  let changed = () => {};
  const notify = () => changed();
  const session = new RecorderSession(
    'user-1',
    {
      frame: (f) => (frames.push(f), notify()),
      step: (s) => (steps.push(s), notify()),
      status: (s) => (statuses.push(s), notify()),
    },
    () => {},
  );
  const until = (done: () => boolean) =>
    new Promise<void>((resolve) => {
      if (done()) return resolve();
      changed = () => done() && resolve();
    });
  return { session, steps, statuses, frames, until };
}

test('keys typed into the login form become fill and press steps, with the password left out', async () => {
  const r = recorder();
  try {
    await r.session.open({});
    await r.session.goto(`${site.url}/login`);
    await r.until(() => r.frames.length > 0);
    expect(r.frames[0]).toMatchObject({ width: 1280, height: 800 });
    r.session.input({ type: 'key', key: 'Tab' });
    r.session.input({ type: 'text', text: 'ada@example.com' });
    r.session.input({ type: 'key', key: 'Tab' });
    r.session.input({ type: 'text', text: 'analytical' });
    r.session.input({ type: 'key', key: 'Enter' });
    await r.until(() => r.steps.length >= 4);
    // The form posts back to /login: its navigation is reported once the press was.
    const afterPress = r.statuses.length;
    await r.until(() => r.statuses.slice(afterPress).some((s) => s.url === `${site.url}/login`));
    expect(r.steps.map(({ action, target, value }) => ({ action, target, value }))).toEqual([
      { action: 'goto', target: `${site.url}/login`, value: undefined },
      { action: 'fill', target: 'label="Email"', value: 'ada@example.com' },
      { action: 'fill', target: 'label="Password"', value: PASSWORD_PLACEHOLDER },
      { action: 'press', target: 'label="Password"', value: 'Enter' },
    ]);
    expect(JSON.stringify(r.steps)).not.toContain('analytical');
    expect(r.steps[2].note).toMatch(/credential/);

    // Pick mode: the pointer-down picks the heading of the page the login led to, and does not reach the page.
    r.session.setPicking(true);
    r.session.input({ type: 'down', x: 100, y: 40 });
    r.session.input({ type: 'up', x: 100, y: 40 });
    await r.until(() => r.steps.length === 5);
    expect(r.steps[4]).toMatchObject({ action: 'extractText', target: 'h1', name: 'welcomeAda' });
    expect(r.steps[4].pick?.text).toBe('Welcome, Ada');
    expect(r.statuses.at(-1)).toMatchObject({ picking: false });
  } finally {
    await r.session.close('test over');
  }
});

test('a table cell picks the table; a link activated from the keyboard is a click by role and name', async () => {
  const r = recorder();
  try {
    await r.session.open({});
    await r.session.goto(`${site.url}/people`);
    r.session.setPicking(true);
    // The first body cell: below the header row of a table at the top left.
    r.session.input({ type: 'click', x: 20, y: 45 });
    await r.until(() => r.steps.length === 2);
    expect(r.steps[1]).toMatchObject({ action: 'extractTable', target: '#people', name: 'table' });
    expect(r.steps[1].pick?.text).toBe('Ada Lovelace');
    // Out of pick mode, keys reach the page: the link focused and activated from the keyboard is a click step.
    r.session.input({ type: 'key', key: 'Tab' });
    r.session.input({ type: 'key', key: 'Enter' });
    await r.until(() => r.steps.length === 3);
    expect(r.steps[2]).toMatchObject({ action: 'click', target: 'role=link[name="Next"]' });
  } finally {
    await r.session.close('test over');
  }
});

test('a host the address policy refuses is an error status, and no goto step', async () => {
  const r = recorder();
  try {
    await r.session.open({ allowedDomains: 'example.org' });
    await r.session.goto(`${site.url}/login`);
    expect(r.steps).toEqual([]);
    expect(
      r.statuses
        .map((s) => s.error)
        .filter(Boolean)
        .join(' '),
    ).toMatch(/not in Allowed domains/);
  } finally {
    await r.session.close('test over');
  }
  expect(r.statuses.at(-1)).toEqual({ ended: 'test over' });
});
