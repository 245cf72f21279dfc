// A recording session against the local test website in real Chromium, driven only by live input (keys, a pointer
// pick), as the editor drives it: the steps it reports, the password kept out of them, and refused hosts; steps
// inside same- and cross-origin iframes, a popup followed, and picked lists, each replayed by a real run.
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import type { RecordedStep, RecorderStatusMessage } from '../../contracts/browser-recorder';
import type { LiveFrame } from '../../contracts/browser-live';
import { startBrowserSite, type BrowserSite } from '../../test/browser-site/server';
import { locate } from '../../nodes/browser/locators';
import { closeBrowserPool } from '../../nodes/browser/pool';
import { run } from '../../nodes/browser/run';
import type { BrowserStep } from '../../nodes/browser/spec';
import { makeRunContext } from '../../nodes/testing';
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

/** The centre of what `locator` finds on the session's active page, in the page's coordinates (as a click sends). */
async function centre(session: RecorderSession, locator: string) {
  const page = (session as unknown as { page: Page }).page;
  // Boxes are measured in each document (Playwright's boundingBox fails across an out-of-process iframe), then the
  // iframe's own box is added: `frame=X >> Y` is Y's box inside X, plus where X's content starts in the page.
  const boxIn = (target: string) =>
    locate(page, target).evaluate(
      (el) => {
        const box = el.getBoundingClientRect();
        const style = getComputedStyle(el);
        return {
          x: box.left + el.clientLeft + parseFloat(style.paddingLeft),
          y: box.top + el.clientTop + parseFloat(style.paddingTop),
          width: box.width,
          height: box.height,
        };
      },
      undefined,
      { timeout: 10_000 },
    );
  const frame = /^frame=(.*?) >> /.exec(locator)?.[1];
  const origin = frame ? await boxIn(frame) : { x: 0, y: 0 };
  const box = await boxIn(locator);
  const offset = frame ? { x: origin.x + box.x, y: origin.y + box.y } : { x: box.x, y: box.y };
  return { x: Math.round(offset.x + box.width / 2), y: Math.round(offset.y + box.height / 2) };
}

/** Runs recorded steps as the Browser node would after "Stop and add steps"; returns its data. */
async function replay(steps: RecordedStep[], password = 'analytical') {
  const rows: BrowserStep[] = steps.map((s) => ({
    action: s.action,
    target: s.target,
    value: s.value === PASSWORD_PLACEHOLDER ? password : (s.value ?? ''),
    name: s.name ?? '',
  }));
  const params = { steps: rows, stepTimeoutMs: 10_000, screenshots: 'none', trace: 'never' };
  const ctx = makeRunContext({ idempotencyKey: randomUUID() });
  const out = (await run(ctx, params as unknown as Parameters<typeof run>[1], undefined)) as { data: unknown };
  return out.data;
}

const brief = (steps: RecordedStep[]) => steps.map(({ action, target, value }) => ({ action, target, value }));

test.each([
  ['/frame-form', 'frame=iframe[title="Sign in"]'],
  ['/frame-cross', 'frame=iframe[name="partner"]'],
])(
  'typing and picking inside the iframe of %s records steps that enter the frame; a run replays them',
  async (path, frame) => {
    const r = recorder();
    try {
      await r.session.open({});
      await r.session.goto(`${site.url}${path}`);
      r.session.input({ type: 'click', ...(await centre(r.session, `${frame} >> label=Email`)) });
      r.session.input({ type: 'text', text: 'ada@example.com' });
      r.session.input({ type: 'key', key: 'Tab' });
      r.session.input({ type: 'text', text: 'analytical' });
      r.session.input({ type: 'key', key: 'Enter' });
      await r.until(() => r.steps.length >= 4);
      const heading = await centre(r.session, `${frame} >> h1`); // the frame's page after signing in
      r.session.setPicking(true);
      r.session.input({ type: 'down', ...heading });
      r.session.input({ type: 'up', ...heading });
      await r.until(() => r.steps.length === 5);
      expect(brief(r.steps)).toEqual([
        { action: 'goto', target: `${site.url}${path}`, value: undefined },
        { action: 'fill', target: `${frame} >> label="Email"`, value: 'ada@example.com' },
        { action: 'fill', target: `${frame} >> label="Password"`, value: PASSWORD_PLACEHOLDER },
        { action: 'press', target: `${frame} >> label="Password"`, value: 'Enter' },
        { action: 'extractText', target: `${frame} >> h1`, value: undefined },
      ]);
      expect(r.steps[4].pick?.text).toBe('Welcome, Ada');
      expect(JSON.stringify(r.steps)).not.toContain('analytical');
    } finally {
      await r.session.close('test over');
    }
    expect(await replay(r.steps)).toEqual({ welcomeAda: 'Welcome, Ada' });
  },
);

test('a link that opens a new tab records switchPage, recording and the screencast go on there, and come back when it closes', async () => {
  const r = recorder();
  try {
    await r.session.open({});
    await r.session.goto(`${site.url}/popup`);
    r.session.input({ type: 'click', ...(await centre(r.session, 'text=Open details')) });
    await r.until(() => r.steps.length === 3);
    await r.until(() => r.statuses.some((s) => s.url === `${site.url}/popup-target`));
    const framesBefore = r.frames.length;
    await r.until(() => r.frames.length > framesBefore);
    const detail = await centre(r.session, '#detail');
    r.session.setPicking(true);
    r.session.input({ type: 'click', ...detail });
    await r.until(() => r.steps.length === 4);
    expect(brief(r.steps)).toEqual([
      { action: 'goto', target: `${site.url}/popup`, value: undefined },
      { action: 'click', target: 'role=link[name="Open details"]', value: undefined },
      { action: 'switchPage', target: 'popup', value: undefined },
      { action: 'extractText', target: '#detail', value: undefined },
    ]);
    expect(r.statuses.some((s) => s.title === 'Details')).toBe(true);
    // The popup closes (as by its own window.close()): back to the first page, with a step that says so.
    await (r.session as unknown as { page: Page }).page.close();
    await r.until(() => r.steps.length === 5);
    const framesAtReturn = r.frames.length;
    await r.until(() => r.frames.length > framesAtReturn); // the first page's picture is streamed again
    expect(brief(r.steps.slice(4))).toEqual([{ action: 'switchPage', target: 'first', value: undefined }]);
    await r.until(() => r.statuses.some((s) => s.url === `${site.url}/popup` && s.title === 'Popup'));
  } finally {
    await r.session.close('test over');
  }
  expect(Object.values((await replay(r.steps)) as object)).toEqual(['Opened in a new window']);
});

test('a picked table row becomes an extractMany of every row; recorded on both pages of the table, a run returns all four people', async () => {
  const r = recorder();
  const rows = ':scope > td:nth-of-type';
  try {
    await r.session.open({});
    await r.session.goto(`${site.url}/people`);
    r.session.setPicking(true, true);
    expect(r.statuses.at(-1)).toEqual({ picking: true, pickingList: true });
    r.session.input({ type: 'click', x: 20, y: 45 }); // a cell of the first body row
    await r.until(() => r.steps.length === 2);
    expect(r.steps[1]).toEqual({
      id: expect.any(String),
      action: 'extractMany',
      target: 'tbody >> :scope > tr',
      value: JSON.stringify({ name: `${rows}(1)`, team: `${rows}(2)`, born: `${rows}(3)` }),
      name: 'items',
      list: { count: 2, sample: { name: 'Ada Lovelace', team: 'Engineering', born: '1815' } },
    });
    r.session.input({ type: 'click', ...(await centre(r.session, 'text=Next')) });
    await r.until(() => r.statuses.some((s) => s.url === `${site.url}/people?page=2`));
    r.session.setPicking(true, true);
    r.session.input({ type: 'click', x: 20, y: 45 });
    await r.until(() => r.steps.length === 4);
    expect(brief(r.steps).slice(2)).toEqual([
      { action: 'click', target: 'role=link[name="Next"]', value: undefined },
      { action: 'extractMany', target: 'tbody >> :scope > tr', value: r.steps[1].value },
    ]);
  } finally {
    await r.session.close('test over');
  }
  const data = await replay([r.steps[0], r.steps[1], r.steps[2], { ...r.steps[3], name: 'next' }]);
  expect(data).toEqual({
    items: [
      { name: 'Ada Lovelace', team: 'Engineering', born: '1815' },
      { name: 'Grace Hopper', team: 'Navy', born: '1906' },
    ],
    next: [
      { name: 'Alan Turing', team: 'Mathematics', born: '1912' },
      { name: 'Katherine Johnson', team: 'NASA', born: '1918' },
    ],
  });
});

test('a picked card of a list built by script proposes every card, with its fields and link', async () => {
  const r = recorder();
  try {
    await r.session.open({});
    await r.session.goto(`${site.url}/dynamic`);
    const desk = await centre(r.session, 'text=Desk');
    r.session.setPicking(true, true);
    r.session.input({ type: 'click', ...desk });
    await r.until(() => r.steps.length === 2);
    expect(r.steps[1]).toMatchObject({
      action: 'extractMany',
      target: '#products >> :scope > li.product',
      value: JSON.stringify({ name: 'a.name', price: 'span.price', nameLink: 'a.name @href' }),
      list: { count: 3, sample: { name: 'Desk', price: '120.00', nameLink: '/p/desk' } },
    });
  } finally {
    await r.session.close('test over');
  }
  expect(await replay(r.steps)).toEqual({
    items: [
      { name: 'Lamp', price: '12.50', nameLink: '/p/lamp' },
      { name: 'Desk', price: '120.00', nameLink: '/p/desk' },
      { name: 'Chair', price: '45.00', nameLink: '/p/chair' },
    ],
  });
});
