// Drives the provisioned Chromium through a list of steps (goto, click, fill, extract…) in a fresh browser context,
// on the `browser` task queue. Each step is recorded with its URL, duration and screenshot; extractions are output.
import { z } from 'zod';
import { defineNode, param } from '../define';

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
  'assert',
] as const;
export type BrowserAction = (typeof BROWSER_ACTIONS)[number];

export const SCREENSHOT_MODES = ['failure', 'every', 'none'] as const;
export const MAX_STEPS = 100;
export const DEFAULT_STEP_TIMEOUT_MS = 10_000;

export interface BrowserStep {
  action: BrowserAction;
  /** A URL for goto, else a locator string (nodes/browser/locators.ts). */
  target?: string;
  /** Text to fill or type, key, option, attribute name, assertion text, or extractMany's field → locator map. */
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
  assert: 'Assert',
};

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
    steps: param.list({
      label: 'Steps',
      placeholder: 'Add a step',
      description:
        'Run in order. Locators: role=button[name="Sign in"], text=Welcome, label=Email, testid=submit, ' +
        'placeholder=Search, xpath=//h1, frame=#embed >> text=Hi, else CSS.',
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
        { key: 'target', label: 'URL or locator', widget: 'text', placeholder: 'label=Email', expression: true },
        { key: 'value', label: 'Value', widget: 'text', placeholder: '{{ $input.email }}', expression: true },
        { key: 'name', label: 'Store as', widget: 'text', placeholder: 'title', expression: false },
      ],
      default: [{ action: 'goto', target: '', value: '', name: '' }],
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
  },
  runtime: { kind: 'activity', taskQueue: 'browser' },
  policy: { timeoutMs: 120_000 },
});
