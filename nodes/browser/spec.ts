// Drives the provisioned Chromium through a list of steps (goto, click, fill, extract…) in a fresh browser context,
// on the `browser` task queue. Each step is recorded with its URL, duration and screenshot; extractions are output.
import { z } from 'zod';
import { defineNode, param, type ParamProblem } from '../define';
import { DEFAULT_CODE_TIMEOUT_MS } from './code/protocol';
import { BROWSER_CODE_TYPINGS } from './code/typings';

export const BROWSER_ACTIONS = [
  'goto',
  'click',
  'fill',
  'type',
  'press',
  'select',
  'check',
  'uncheck',
  'hover',
  'waitFor',
  'extractText',
  'extractAttribute',
  'extractTable',
  'extractMany',
  'screenshot',
  'pdf',
  'evaluate',
  'upload',
  'download',
  'waitForUrl',
  'waitForNetworkIdle',
  'assertUrl',
  'switchPage',
  'saveSession',
  'assert',
] as const;
export type BrowserAction = (typeof BROWSER_ACTIONS)[number];

export const SCREENSHOT_MODES = ['failure', 'every', 'none'] as const;
export const BROWSER_MODES = ['steps', 'code'] as const;
/** Which library drives Chromium for the steps (docs/decisions/058); code mode is Playwright's. */
export const BROWSER_ENGINES = ['playwright', 'puppeteer'] as const;
export const SAVE_SESSION_MODES = ['success', 'never', 'always'] as const;
export const TRACE_MODES = ['failure', 'never'] as const;
export const LOGIN_CREDENTIAL_TYPES = ['website-login'] as const;
export const DEFAULT_MAX_DOWNLOAD_MB = 50;
export const MAX_STEPS = 100;
export const DEFAULT_STEP_TIMEOUT_MS = 10_000;
export const DEFAULT_TAKEOVER_MINUTES = 30;

export interface BrowserStep {
  action: BrowserAction;
  /** A URL for goto, a URL pattern for waitForUrl, a page for switchPage, else a locator (nodes/browser/locators.ts). */
  target?: string;
  /**
   * Text to fill or type, key, option, attribute name, assertion text, extractMany's field → locator map, a file
   * (upload), a script (evaluate) or a URL pattern (assertUrl).
   */
  value?: unknown;
  /** The key of `data` an extraction is stored under. */
  name?: string;
}

const step: z.ZodType<BrowserStep> = z
  .object({
    action: z.enum(BROWSER_ACTIONS, { errorMap: () => ({ message: `must be one of ${BROWSER_ACTIONS.join(', ')}` }) }),
    target: z.string().max(8192).optional(),
    value: z.unknown().optional(),
    name: z.string().max(128).optional(),
  })
  .strict();

const ACTION_LABELS: Record<BrowserAction, string> = {
  goto: 'Go to URL',
  click: 'Click',
  fill: 'Fill',
  type: 'Type (key by key)',
  press: 'Press key',
  select: 'Select option',
  check: 'Check',
  uncheck: 'Uncheck',
  hover: 'Hover',
  waitFor: 'Wait for element',
  extractText: 'Extract text',
  extractAttribute: 'Extract attribute',
  extractTable: 'Extract table',
  extractMany: 'Extract many',
  screenshot: 'Screenshot',
  pdf: 'Save page as PDF',
  evaluate: 'Run JavaScript in the page',
  upload: 'Upload file',
  download: 'Download file',
  waitForUrl: 'Wait for URL',
  waitForNetworkIdle: 'Wait for network idle',
  assertUrl: 'Assert URL',
  switchPage: 'Switch page',
  saveSession: 'Save session now',
  assert: 'Assert',
};

/** What Target holds for each action, shown as the cell's placeholder (a locator for the others). */
const TARGET_PLACEHOLDERS: Partial<Record<BrowserAction, string>> = {
  goto: 'https://example.com/login',
  press: 'Empty: the focused element',
  screenshot: 'Empty: the whole page',
  pdf: 'Not used',
  evaluate: 'Not used',
  upload: 'The file input: label=CV',
  download: 'What to click: text=Export CSV',
  waitForUrl: '**/orders/* or part of the URL',
  waitForNetworkIdle: 'Not used',
  assertUrl: 'Not used',
  switchPage: 'popup, first, or part of the URL',
};

/** What Value holds for each action, shown as the cell's placeholder. */
const VALUE_PLACEHOLDERS: Partial<Record<BrowserAction, string>> = {
  goto: 'Not used',
  click: 'Not used',
  fill: '{{ $input.email }} or $credential.password',
  type: '{{ $input.email }} or $credential.totp',
  press: 'Enter',
  select: 'The option’s value or label',
  check: 'Not used',
  uncheck: 'Not used',
  hover: 'Not used',
  waitFor: 'visible, hidden, attached or detached',
  extractText: 'Not used',
  extractAttribute: 'The attribute: href',
  extractTable: 'Not used',
  extractMany: '{"name": ".name", "link": "a @href"}',
  screenshot: 'Not used',
  assert: 'Text it must contain (empty: visible)',
  pdf: 'Not used',
  evaluate: 'document.title',
  upload: '{{ $node("Form").cv }}',
  download: 'Not used',
  waitForUrl: 'Not used',
  waitForNetworkIdle: 'Not used',
  assertUrl: '**/welcome or part of the URL',
  switchPage: 'Not used',
};

/** Actions whose result goes to `data`; Store as names it (default: step<N>). */
export const STORING_ACTIONS: ReadonlySet<BrowserAction> = new Set([
  'extractText',
  'extractAttribute',
  'extractTable',
  'extractMany',
  'screenshot',
  'pdf',
  'download',
  'evaluate',
]);

const NAME_PLACEHOLDERS = Object.fromEntries(
  BROWSER_ACTIONS.filter((action) => !STORING_ACTIONS.has(action)).map((action) => [action, 'Not used']),
);

/** `$credential.username`, `.password` or `.totp` in a step's Value: replaced on the worker (credential-tokens.ts). */
export const CREDENTIAL_TOKEN = /\$credential\.(username|password|totp)\b/;

/** A step that types the Website login needs one chosen: the canvas marks the step before a run fails on it. */
function credentialProblems(params: Record<string, unknown>): ParamProblem[] {
  if (params.credential || params.mode === 'code' || !Array.isArray(params.steps)) return [];
  return params.steps.flatMap((step: unknown, i) => {
    const value = (step as BrowserStep | null)?.value;
    const token = typeof value === 'string' ? CREDENTIAL_TOKEN.exec(value) : null;
    if (!token) return [];
    const message = `Step ${i + 1} types ${token[0]}: choose a Website login in Credential`;
    return [{ path: ['steps', i, 'value'], message, incomplete: true }];
  });
}

export const spec = defineNode({
  type: 'browser',
  version: 1,
  title: 'Browser',
  description: 'Open pages in Chromium, click and fill forms, and extract text, tables and lists as data.',
  category: 'browser',
  icon: 'browser',
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [{ id: 'out', label: 'Result' }],
  params: {
    mode: param.select({
      label: 'Mode',
      description: 'A list of steps, or a Playwright-style script that drives the page.',
      placeholder: 'Steps',
      values: BROWSER_MODES,
      options: [
        { value: 'steps', label: 'Steps' },
        { value: 'code', label: 'Code (script)' },
      ],
      default: 'steps',
      expression: false,
    }),
    steps: param.list({
      showWhen: { param: 'mode', oneOf: ['steps'] },
      label: 'Steps',
      placeholder: 'Add a step',
      description:
        'Run in order. Target is a locator (role=button[name="Sign in"], text=Welcome, label=Email, testid=submit, ' +
        'placeholder=Search, xpath=//h1, frame=#embed >> text=Hi, or CSS) unless its placeholder says otherwise. ' +
        'In Value, $credential.username, $credential.password and $credential.totp type the chosen Website login.',
      item: step,
      itemLabel: 'step',
      maxItems: MAX_STEPS,
      fields: [
        {
          key: 'action',
          label: 'Action',
          widget: 'select',
          options: BROWSER_ACTIONS.map((value) => ({ value, label: ACTION_LABELS[value] })),
          expression: false,
          default: 'goto',
        },
        {
          key: 'target',
          label: 'Target',
          widget: 'text',
          placeholder: 'label=Email',
          expression: true,
          placeholderBy: { field: 'action', placeholders: TARGET_PLACEHOLDERS },
        },
        {
          key: 'value',
          label: 'Value',
          widget: 'text',
          placeholder: '{{ $input.email }}',
          expression: true,
          placeholderBy: { field: 'action', placeholders: VALUE_PLACEHOLDERS },
        },
        {
          key: 'name',
          label: 'Store as',
          widget: 'text',
          placeholder: 'title',
          expression: false,
          placeholderBy: { field: 'action', placeholders: NAME_PLACEHOLDERS },
        },
      ],
      default: [{ action: 'goto', target: '', value: '', name: '' }],
    }),
    code: param.code({
      label: 'Script',
      description:
        'The body of an async function: `page`, `context` and `input` are given, every call is awaited, and what it returns ' +
        'becomes `data`. Locators as in steps. Runs sandboxed in its own process; console.log goes to the step log. ' +
        '`credential.username`, `.password` and `.totp` fill in the Website login chosen in Credential.',
      placeholder: "await page.goto('https://example.com');\nreturn await page.innerText('h1');",
      default: "await page.goto('https://example.com');\nreturn { title: await page.title() };",
      typings: BROWSER_CODE_TYPINGS,
      showWhen: { param: 'mode', oneOf: ['code'] },
    }),
    codeTimeoutMs: param.number({
      label: 'Script time limit (ms)',
      description: 'The whole script, waits included; it is stopped when the limit passes.',
      placeholder: String(DEFAULT_CODE_TIMEOUT_MS),
      int: true,
      min: 1_000,
      max: 100_000,
      default: DEFAULT_CODE_TIMEOUT_MS,
      expression: false,
      showWhen: { param: 'mode', oneOf: ['code'] },
    }),
    engine: param.select({
      label: 'Engine',
      description: 'The library that drives Chromium. Both run the same steps and locators.',
      placeholder: 'Playwright',
      values: BROWSER_ENGINES,
      options: [
        { value: 'playwright', label: 'Playwright' },
        { value: 'puppeteer', label: 'Puppeteer' },
      ],
      default: 'playwright',
      expression: false,
      showWhen: { param: 'mode', oneOf: ['steps'] },
    }),
    stepTimeoutMs: param.number({
      label: 'Step timeout (ms)',
      description: 'How long one step may wait for its element or page.',
      placeholder: String(DEFAULT_STEP_TIMEOUT_MS),
      int: true,
      min: 100,
      max: 60_000,
      default: DEFAULT_STEP_TIMEOUT_MS,
      expression: false,
    }),
    allowedDomains: param.text({
      label: 'Allowed domains',
      description:
        'Comma separated (example.com also allows its subdomains). When set, a request to any other host is ' +
        'refused and fails the step.',
      placeholder: 'example.com, cdn.example.com',
      maxLength: 4096,
      expression: false,
    }),
    screenshots: param.select({
      label: 'Screenshots',
      placeholder: 'On failure',
      values: SCREENSHOT_MODES,
      options: [
        { value: 'failure', label: 'On failure' },
        { value: 'every', label: 'After every step' },
        { value: 'none', label: 'None' },
      ],
      default: 'failure',
      expression: false,
    }),
    credential: param.credential({
      label: 'Credential',
      description:
        'A Website login whose values steps type with $credential.username, $credential.password and ' +
        '$credential.totp (the current 2FA code) in Value: they are read on the worker, never shown or recorded.',
      placeholder: 'No credential',
      types: LOGIN_CREDENTIAL_TYPES,
    }),
    maxDownloadMb: param.number({
      label: 'Largest download (MB)',
      description: 'A Download step fails, keeping nothing, when the file is larger.',
      placeholder: String(DEFAULT_MAX_DOWNLOAD_MB),
      int: true,
      min: 1,
      max: 1024,
      default: DEFAULT_MAX_DOWNLOAD_MB,
      expression: false,
    }),
    trace: param.select({
      label: 'Trace',
      description:
        'A Playwright trace (every action with DOM snapshots and screenshots, for trace.playwright.dev) kept as ' +
        'trace.zip when a step fails. Never kept for a run that typed a credential. Playwright engine only: the ' +
        'Puppeteer engine keeps the same screenshots and step records, but no trace.',
      placeholder: 'On failure',
      values: TRACE_MODES,
      options: [
        { value: 'failure', label: 'On failure' },
        { value: 'never', label: 'Never' },
      ],
      default: 'failure',
      expression: false,
    }),
    blockImagesAndFonts: param.boolean({
      label: 'Block images and fonts',
      placeholder: 'false',
      description: 'Faster pages; screenshots then show them missing.',
      default: false,
      expression: false,
    }),
    viewportWidth: param.number({
      label: 'Viewport width',
      placeholder: '1280',
      int: true,
      min: 200,
      max: 4000,
      default: 1280,
      expression: false,
    }),
    viewportHeight: param.number({
      label: 'Viewport height',
      placeholder: '800',
      int: true,
      min: 200,
      max: 4000,
      default: 800,
      expression: false,
    }),
    userAgent: param.text({ label: 'User agent', placeholder: "Chromium's own", maxLength: 512, expression: false }),
    locale: param.text({ label: 'Locale', placeholder: 'en-US', maxLength: 35, expression: false }),
    timezone: param.text({ label: 'Time zone', placeholder: 'Europe/Paris', maxLength: 64, expression: false }),
    session: param.text({
      label: 'Session',
      description:
        'A saved browser session (cookies and local storage), by name: the browser starts from it when it exists, ' +
        'and saves to it. Sign in once; later steps and runs start signed in. Listed on the Credentials page.',
      placeholder: 'crm-login',
      maxLength: 64,
      pattern: {
        regex: /^[A-Za-z0-9 _.-]{0,64}$/,
        message: 'must be letters, digits, spaces, dots, dashes or underscores',
      },
    }),
    saveSession: param.select({
      label: 'Save the session',
      description: 'When the browser state is saved under Session (a "Save session now" step also saves it).',
      placeholder: 'After a successful run',
      values: SAVE_SESSION_MODES,
      options: [
        { value: 'success', label: 'After a successful run' },
        { value: 'always', label: 'Always, also after a failure' },
        { value: 'never', label: 'Never (only start from it)' },
      ],
      default: 'success',
      expression: false,
    }),
    sessionExpiresInHours: param.number({
      label: 'Forget the session after (hours)',
      description: 'From each save. Empty: kept until deleted on the Credentials page.',
      placeholder: 'Never',
      int: true,
      min: 1,
      max: 24 * 366,
      expression: false,
    }),
    askHuman: param.boolean({
      label: 'Ask a person when a step fails',
      placeholder: 'false',
      description:
        'A CAPTCHA, a 2FA code, a page that changed: the run waits while someone finishes the step in a live view ' +
        'from their inbox, then goes on with the next step.',
      default: false,
      expression: false,
    }),
    takeoverApprovers: param.text({
      label: 'Who is asked',
      description:
        'With "Ask a person": emails or user ids, group slugs and roles (owner, admin, editor), separated by commas. Empty: owners and admins.',
      placeholder: 'owner, admin',
      maxLength: 2000,
      expression: false,
    }),
    takeoverTimeoutMinutes: param.number({
      label: 'Wait for a person (minutes)',
      description: 'How long the run waits for someone, in all, before the step fails as it would have.',
      placeholder: String(DEFAULT_TAKEOVER_MINUTES),
      int: true,
      min: 1,
      max: 24 * 60,
      default: DEFAULT_TAKEOVER_MINUTES,
      expression: false,
    }),
  },
  check: credentialProblems,
  runtime: {
    kind: 'activity',
    taskQueue: 'browser',
    // The activity holds the page while a person works on it, so its deadline covers the wait (decision 059).
    peopleTimeMs: (params) =>
      params.askHuman === true ? Number(params.takeoverTimeoutMinutes ?? DEFAULT_TAKEOVER_MINUTES) * 60_000 : 0,
  },
  policy: { timeoutMs: 120_000 },
});
