// The Browser node's code mode against the real local website in the provisioned Chromium: scripts sign in, page
// through a table and return JSON; errors name the script's line; limits stop the script's child process, which
// is gone afterwards; the sandbox offers nothing of Node; refused hosts fail the call that reached them.
import { randomUUID } from 'node:crypto';
import { startBrowserSite, type BrowserSite } from '../../../test/browser-site/server';
import type { RunContext, RunFiles } from '../../define';
import { NodeError } from '../../errors';
import { ALLOW_HOSTS_ENV } from '../../http-request/address-policy';
import { makeRunContext } from '../../testing';
import { closeBrowserPool } from '../pool';
import { run } from '../run';
import { SITE_TOTP_SECRET } from '../../../test/browser-site/server';
import { dropWarmChild } from './warm-child';

let site: BrowserSite;
const allowBefore = process.env[ALLOW_HOSTS_ENV];

beforeAll(async () => {
  process.env[ALLOW_HOSTS_ENV] = '127.0.0.1'; // the site is on loopback, which the guard refuses by default
  site = await startBrowserSite();
}, 60_000);
afterAll(async () => {
  process.env[ALLOW_HOSTS_ENV] = allowBefore;
  await dropWarmChild();
  await closeBrowserPool();
  await site?.close();
});

function memoryFiles(): RunFiles {
  let n = 0;
  return {
    save: async (file) => ({
      $batonFile: `f${++n}`,
      name: file.name,
      mimeType: file.mimeType,
      bytes: file.data.length,
      sig: 's',
    }),
    saveStream: async (file) => {
      let bytes = 0;
      for await (const chunk of file.data) bytes += chunk.length;
      return { $batonFile: `f${++n}`, name: file.name, mimeType: file.mimeType, bytes, sig: 's' };
    },
    read: () => Promise.reject(new Error('not used')),
  };
}

/** The pid of the script's child process, from the log line the runner writes when it starts one. */
function childPid(ctx: ReturnType<typeof makeRunContext>): number {
  const started = ctx.logged.find((l) => l.msg === 'Browser code process started');
  return started?.meta?.pid as number;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

type Output = { data: unknown; url: string; title: string };

async function script(
  code: string,
  extra: Record<string, unknown> = {},
  overrides: Partial<RunContext> = {},
  input: unknown = undefined,
) {
  const ctx = makeRunContext({ files: memoryFiles(), idempotencyKey: randomUUID(), ...overrides });
  const params: Record<string, unknown> = {
    mode: 'code',
    code,
    stepTimeoutMs: 5_000,
    screenshots: 'none',
    steps: [],
    ...extra,
  };
  const output = run(ctx, params as unknown as Parameters<typeof run>[1], input) as Promise<Output>;
  return { ctx, output };
}

async function failure(promise: Promise<unknown>): Promise<NodeError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(NodeError);
  return err as NodeError;
}

it('signs in through the form and returns the greeting', async () => {
  const key = randomUUID();
  const { ctx, output } = await script(
    `
    await page.goto('${site.url}/login');
    await page.fill('label=Email', input.email);
    await page.fill('label=Password', input.password);
    await page.click('role=button[name="Sign in"]');
    console.log('signed in at', await page.url());
    return { greeting: await page.innerText('h1'), title: await page.title() };
  `,
    {},
    { idempotencyKey: key },
    { email: 'ada@example.com', password: 'analytical' },
  );
  const out = await output;
  expect(out.data).toEqual({ greeting: 'Welcome, Ada', title: 'Welcome' });
  expect(out.title).toBe('Welcome');
  expect(site.submissions(key)).toBe(1);
  const logged = ctx.logged.find((l) => l.msg === 'Browser code console output');
  expect(logged?.meta?.lines).toEqual([`signed in at ${site.url}/login`]);
  expect(alive(childPid(ctx))).toBe(false);
});

it('loops over the pages of a table, building an array', async () => {
  const { output } = await script(`
    await page.goto('${site.url}/people');
    const people = [];
    for (;;) {
      const names = await page.locator('#people tbody td:first-child').allInnerTexts();
      people.push(...names);
      if ((await page.locator('text=Next').count()) === 0) break;
      await page.click('text=Next');
      await page.waitForURL('**/people?page=*');
    }
    return people;
  `);
  expect((await output).data).toEqual(['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Katherine Johnson']);
});

it('waits for script-built content, evaluates in the page and stores a screenshot', async () => {
  const { output } = await script(`
    await page.goto('${site.url}/dynamic');
    await page.waitFor('.product >> nth=2', { state: 'visible' });
    const prices = await page.evaluate("[...document.querySelectorAll('.price')].map((p) => Number(p.textContent))");
    const shot = await page.screenshot({ name: 'products' });
    return { prices, shot: shot.name, pages: (await context.pages()).length };
  `);
  expect((await output).data).toEqual({ prices: [12.5, 120, 45], shot: 'products.png', pages: 1 });
});

it('names the line of a script error, and of a page call that fails', async () => {
  const thrown = await failure((await script(`const a = 1;\nconst b = null;\nreturn b.name;`)).output);
  expect(thrown.message).toMatch(/^Code line 3: TypeError: /);
  expect(thrown.code).toBe('browser-code');
  expect(thrown.retryable).toBe(false);

  const call = await failure(
    (
      await script(`await page.goto('${site.url}/login');\n\nawait page.click('text=No such button');`, {
        stepTimeoutMs: 2_000,
      })
    ).output,
  );
  expect(call.message).toMatch(/^Code line 3: page\.click: Timeout 2000ms exceeded/);
  // The run page's evidence, as for a failed step: the script as one card, the page it was on, and the trace.
  expect(call.details).toMatchObject({
    steps: [{ index: 1, action: 'code', ok: false, error: call.message, url: `${site.url}/login` }],
    url: `${site.url}/login`,
    trace: { name: 'trace.zip', mimeType: 'application/zip' },
  });

  const bad = await failure((await script(`await page.fill('label=Email', 42);`)).output);
  expect(bad.message).toBe('Code line 1: page.fill: the text must be a string, not number');

  const syntax = await failure((await script(`const x = 1;\nconst = 2;`)).output);
  expect(syntax.message).toMatch(/^Code line 2 syntax error: SyntaxError: /);
});

it('stops an endless loop at the time limit and leaves no process behind', async () => {
  const { ctx, output } = await script(`let n = 0;\nwhile (true) n++;`, { codeTimeoutMs: 1_000 });
  const err = await failure(output);
  expect(err.message).toMatch(/^Browser code exceeded its 1000 ms time limit/);
  expect(err.code).toBe('browser-code-limit');
  expect(err.retryable).toBe(false);
  const pid = childPid(ctx);
  expect(pid).toBeGreaterThan(0);
  expect(alive(pid)).toBe(false);
});

it('stops a script that waits on the page past the time limit', async () => {
  const { ctx, output } = await script(
    `await page.goto('${site.url}/login');\nwhile (true) await page.waitForTimeout(200);`,
    { codeTimeoutMs: 1_500 },
  );
  expect((await failure(output)).message).toMatch(/^Browser code exceeded its 1500 ms time limit/);
  expect(alive(childPid(ctx))).toBe(false);
});

it('stops a script that blows up its memory', async () => {
  const { ctx, output } = await script(`let text = 'x';\nwhile (true) text += text;`, { codeTimeoutMs: 30_000 });
  const err = await failure(output);
  expect(err.message).toBe('Browser code exceeded its 64 MB memory limit');
  expect(err.code).toBe('browser-code-limit');
  expect(alive(childPid(ctx))).toBe(false);
});

it('offers nothing of Node or the network to the script', async () => {
  const { output } = await script(
    `return [typeof require, typeof process, typeof fetch, typeof XMLHttpRequest, typeof __batonCall, typeof globalThis.__batonLog];`,
  );
  expect((await output).data).toEqual(['undefined', 'undefined', 'undefined', 'undefined', 'undefined', 'undefined']);
});

it('refuses a domain outside the allowed list through the bridge', async () => {
  const err = await failure(
    (
      await script(
        `await page.goto('${site.url}/login');\nawait page.goto('${site.url.replace('127.0.0.1', 'localhost')}/people');`,
        { allowedDomains: '127.0.0.1' },
      )
    ).output,
  );
  expect(err.message).toMatch(/^Code line 2: page\.goto: request blocked: .*localhost/);
});

it('reports a crash of the script process, and the next script runs', async () => {
  let pid = 0;
  const { ctx, output } = await script(`await page.waitForTimeout(20000);`, {}, {});
  const started = setInterval(() => {
    pid = childPid(ctx);
    if (pid) {
      clearInterval(started);
      setTimeout(() => process.kill(pid, 'SIGKILL'), 300);
    }
  }, 20);
  const err = await failure(output);
  clearInterval(started);
  expect(err.message).toBe("Browser code: the script's process was killed (SIGKILL)");
  expect((await (await script(`return 1 + 1;`)).output).data).toBe(2);
});

it('kills the script process when the run is cancelled', async () => {
  const abort = new AbortController();
  const { ctx, output } = await script(`await page.waitForTimeout(20000);`, {}, { signal: abort.signal });
  const started = setInterval(() => {
    if (childPid(ctx)) {
      clearInterval(started);
      abort.abort(new Error('cancelled by the test'));
    }
  }, 20);
  await expect(output).rejects.toThrow('cancelled by the test');
  clearInterval(started);
  expect(alive(childPid(ctx))).toBe(false);
});

it('starts each script in a child of its own, taken warm, so nothing of one run reaches the next', async () => {
  const first = await script(`globalThis.leftover = 'from run 1'; return typeof leftover;`);
  expect((await first.output).data).toBe('string');
  const second = await script(`return typeof leftover;`);
  expect((await second.output).data).toBe('undefined');
  expect(childPid(second.ctx)).not.toBe(childPid(first.ctx));
  expect(alive(childPid(first.ctx))).toBe(false);
  expect(alive(childPid(second.ctx))).toBe(false);
});

it('drives popups as pages: context.waitForEvent, page.waitForEvent and context.pages', async () => {
  const { output } = await script(`
    await page.goto('${site.url}/popup');
    const opening = context.waitForEvent('page');
    await page.click('text=Open details');
    const details = await opening;
    await details.waitForLoadState();
    const byScript = page.waitForEvent('popup');
    await page.click('role=button[name="Open by script"]');
    const scripted = await byScript;
    await scripted.waitForLoadState();
    const all = await context.pages();
    await scripted.close();
    return {
      text: await details.innerText('#detail'),
      url: await scripted.url(),
      count: all.length,
      same: all[1] === details,
      first: await all[0].title(),
      left: (await context.pages()).length,
    };
  `);
  expect((await output).data).toEqual({
    text: 'Opened in a new window',
    url: `${site.url}/popup-target?via=script`,
    count: 3,
    same: true,
    first: 'Popup',
    left: 2,
  });
});

describe('a Website login credential in a script', () => {
  const password = `pw-${randomUUID()}`;
  const credentialId = 'cred_00000000-0000-4000-8000-000000000001';
  const vault = (values: Record<string, unknown>): Partial<RunContext> => ({
    credential: async (id, types) => {
      expect([id, types]).toEqual([credentialId, ['website-login']]);
      return { type: 'website-login', values, markSecret: () => undefined };
    },
  });
  const login = { username: 'ada@example.com', password: 'analytical', totpSecret: SITE_TOTP_SECRET };

  it('signs in and passes 2FA with credential.username, .password and .totp', async () => {
    const { output } = await script(
      `
      await page.goto('${site.url}/login');
      await page.fill('label=Email', credential.username);
      await page.fill('label=Password', credential.password);
      await page.click('role=button[name="Sign in"]');
      const greeting = await page.innerText('h1');
      await page.goto('${site.url}/2fa');
      await page.type('label=Code', credential.totp);
      await page.click('role=button[name="Verify"]');
      return { greeting, verified: await page.innerText('h1'), seen: [credential.password, credential.totp] };
    `,
      { credential: credentialId },
      vault(login),
    );
    expect((await output).data).toEqual({
      greeting: 'Welcome, Ada',
      verified: 'Verified',
      seen: ['$credential.password', '$credential.totp'],
    });
  });

  it('keeps the password out of the error, the console, the details and what the page gives back', async () => {
    const files = memoryFiles();
    const { ctx, output } = await script(
      `
      await page.goto('${site.url}/login');
      await page.fill('label=Password', credential.password);
      const typed = await page.evaluate("document.querySelector('input[type=password]').value");
      console.log('typed', typed);
      throw new Error('rejected ' + typed + ' for ' + credential.username);
    `,
      { credential: credentialId, screenshots: 'failure' },
      { ...vault({ ...login, password }), files },
    );
    const err = await failure(output);
    expect(err.message).toBe('Code line 6: Error: rejected [secret] for ada@example.com');
    expect(err.details).toMatchObject({ traceSkipped: 'a credential was used' });
    const shown = JSON.stringify({ message: err.message, details: err.details, stack: err.stack, log: ctx.logged });
    expect(shown).toContain('typed [secret]');
    expect(shown).not.toContain(password);
  });

  it('fails a script that reads the credential when none is chosen, naming the line', async () => {
    const err = await failure(
      (await script(`const a = 1;\nawait page.fill('label=Email', credential.username);\nreturn a;`)).output,
    );
    expect(err.message).toBe(
      'Code line 2: page.fill: $credential.username needs a Website login credential: choose one in Credential',
    );
  });
});
