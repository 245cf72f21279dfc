// Saved sessions on the Puppeteer engine, through the node's runner against a real local site in Chromium, with the
// sessions kept in memory (workflow.test.ts keeps them in the store): a session one engine saves starts the other
// signed in, with its cookie and local storage, both ways round; the saved state has Playwright's shape; the
// node's save modes and the "Save session now" step behave as on Playwright.
import { randomUUID } from 'node:crypto';
import type { BrowserStorageState, RunBrowserSessions } from '../../define';
import { ALLOW_HOSTS_ENV } from '../../http-request/address-policy';
import { makeRunContext } from '../../testing';
import { closeBrowserPool } from '../pool';
import { run } from '../run';
import type { BrowserStep } from '../spec';
import { closePuppeteerPool } from './pool';
import { readMembers, signIn, startMembersSite, type MembersSite } from './test-members-site';

let site: MembersSite;
const allowBefore = process.env[ALLOW_HOSTS_ENV];

beforeAll(async () => {
  process.env[ALLOW_HOSTS_ENV] = '127.0.0.1';
  site = await startMembersSite();
});
afterAll(async () => {
  process.env[ALLOW_HOSTS_ENV] = allowBefore;
  await Promise.all([closeBrowserPool(), closePuppeteerPool()]);
  await site?.close();
});

/** The workspace's saved sessions, in memory. */
function memorySessions() {
  const saved = new Map<string, BrowserStorageState>();
  const sessions: RunBrowserSessions = {
    load: async (name) => saved.get(name),
    save: async (name, state) => void saved.set(name, structuredClone(state)),
  };
  return { sessions, saved };
}

type Engine = 'playwright' | 'puppeteer';

async function browse(
  engine: Engine,
  sessions: RunBrowserSessions,
  steps: BrowserStep[],
  extra: Record<string, unknown> = {},
) {
  const params = { steps, stepTimeoutMs: 3_000, screenshots: 'none', engine, session: 'portal', ...extra };
  const ctx = makeRunContext({ idempotencyKey: randomUUID(), browserSessions: sessions });
  return (await run(ctx, params as Parameters<typeof run>[1], undefined)) as { data: Record<string, string> };
}

it.each<[Engine, Engine]>([
  ['playwright', 'puppeteer'],
  ['puppeteer', 'playwright'],
])('a session %s saves starts %s signed in, with its cookie and local storage', async (saver, loader) => {
  const { sessions, saved } = memorySessions();
  const loginsBefore = site.logins;
  await browse(saver, sessions, signIn(site));
  expect(site.logins).toBe(loginsBefore + 1);
  const out = await browse(loader, sessions, [
    ...readMembers(site),
    { action: 'extractText', target: '#plan', name: 'plan' },
  ]);
  expect(out.data).toEqual({ heading: 'Members', note: 'remembered', plan: 'Gold plan' });
  expect(site.logins).toBe(loginsBefore + 1);
  // Either engine's state, in Playwright's shape.
  const state = saved.get('portal')!;
  expect(state.cookies).toEqual([
    {
      name: 'sid',
      value: site.issued.at(-1),
      domain: '127.0.0.1',
      path: '/',
      expires: expect.any(Number),
      httpOnly: true,
      secure: false,
      sameSite: 'Lax',
    },
  ]);
  expect(state.origins).toEqual([
    expect.objectContaining({ origin: site.url, localStorage: [{ name: 'note', value: 'remembered' }] }),
  ]);
});

it('saves after success only by default, after a failure when asked to always, never when asked never', async () => {
  const failing = [...signIn(site), { action: 'click', target: 'testid=nowhere' }] as BrowserStep[];
  const byDefault = memorySessions();
  await expect(browse('puppeteer', byDefault.sessions, failing)).rejects.toThrow(/^Step 5 \(click testid=nowhere\)/);
  expect(byDefault.saved.size).toBe(0);

  const always = memorySessions();
  await expect(browse('puppeteer', always.sessions, failing, { saveSession: 'always' })).rejects.toThrow();
  expect(always.saved.get('portal')?.cookies.map((c) => c.name)).toEqual(['sid']);

  const never = memorySessions();
  await browse('puppeteer', never.sessions, signIn(site), { saveSession: 'never' });
  expect(never.saved.size).toBe(0);
});

it('a "Save session now" step saves mid-run, under the name it gives', async () => {
  const { sessions, saved } = memorySessions();
  await expect(
    browse(
      'puppeteer',
      sessions,
      [
        ...signIn(site),
        { action: 'saveSession', target: 'after-login' },
        { action: 'click', target: 'testid=nowhere' },
      ],
      { saveSession: 'never' },
    ),
  ).rejects.toThrow(/^Step 6 \(click testid=nowhere\)/);
  expect([...saved.keys()]).toEqual(['after-login']);
  const out = await browse('puppeteer', sessions, readMembers(site), { session: 'after-login', saveSession: 'never' });
  expect(out.data).toEqual({ heading: 'Members', note: 'remembered' });
});

it('starts signed out without a saved session, and says so when sessions cannot be used here', async () => {
  const { sessions } = memorySessions();
  const out = await browse('puppeteer', sessions, readMembers(site).slice(0, 2), { saveSession: 'never' });
  expect(out.data).toEqual({ heading: 'Sign in' });
  const params = { steps: readMembers(site), engine: 'puppeteer', session: 'portal' } as Parameters<typeof run>[1];
  await expect(run(makeRunContext(), params, undefined)).rejects.toThrow(
    'Session: saved browser sessions cannot be used where this node runs',
  );
});
