// The typed hints the Script editor offers for the Browser node's code mode (Monaco adds them as an extra library
// while the field is open). A string, not a .d.ts file, so it declares nothing in Baton's own compilation; it
// mirrors the bridge (bridge-script.ts) and the host's checks (page-calls.ts).
export const BROWSER_CODE_TYPINGS = `
/**
 * A locator string, as in Browser steps: role=button[name="Sign in"], text=Welcome, label=Email, testid=submit,
 * placeholder=Search, xpath=//h1, frame=#embed >> text=Hi, else CSS. Segments chain with " >> ".
 */
type BatonLocatorString = string;

/** A file stored with the run (a screenshot): what the node outputs for it. */
interface BatonFileRef { $batonFile: string; name: string; mimeType: string; bytes: number; sig: string }

interface BatonLocator {
  /** How many elements match now. */
  count(): Promise<number>;
  /** The rendered text of every match. */
  allInnerTexts(): Promise<string[]>;
  /** The DOM textContent of every match. */
  allTextContents(): Promise<string[]>;
}

/** The script's page. Every call is async (await it) and waits up to the node's step timeout. */
interface BatonPage {
  /** Opens an absolute http(s) URL and waits for its load event; refused domains fail the call. */
  goto(url: string): Promise<{ url: string; status: number | null }>;
  url(): Promise<string>;
  title(): Promise<string>;
  click(locator: BatonLocatorString): Promise<void>;
  fill(locator: BatonLocatorString, text: string): Promise<void>;
  /** Types key by key, as a person would. */
  type(locator: BatonLocatorString, text: string): Promise<void>;
  /** A key such as "Enter", "Tab" or "Control+A". */
  press(locator: BatonLocatorString, key: string): Promise<void>;
  /** Selects by value or label; returns the values selected. */
  selectOption(locator: BatonLocatorString, value: string | string[]): Promise<string[]>;
  check(locator: BatonLocatorString): Promise<void>;
  uncheck(locator: BatonLocatorString): Promise<void>;
  hover(locator: BatonLocatorString): Promise<void>;
  waitFor(locator: BatonLocatorString, options?: { state?: 'visible' | 'hidden' | 'attached' | 'detached' }): Promise<void>;
  /** A URL or glob such as "**\\/welcome". */
  waitForURL(url: string): Promise<void>;
  /** Waits for the page to reach a load state (default "load"), as after opening a popup. */
  waitForLoadState(state?: 'load' | 'domcontentloaded' | 'networkidle'): Promise<void>;
  /** The next page this page opens (a link with target=_blank, window.open): start waiting before the click. */
  waitForEvent(event: 'popup'): Promise<BatonPage>;
  /** At most 30000 ms. */
  waitForTimeout(ms: number): Promise<void>;
  textContent(locator: BatonLocatorString): Promise<string | null>;
  innerText(locator: BatonLocatorString): Promise<string>;
  getAttribute(locator: BatonLocatorString, name: string): Promise<string | null>;
  /** A JavaScript expression, as a string, evaluated in the page; its value must be JSON. */
  evaluate<T = unknown>(expression: string): Promise<T>;
  /** Stores a PNG with the run and returns its reference (return it to output it). */
  screenshot(options?: { name?: string; fullPage?: boolean }): Promise<BatonFileRef>;
  close(): Promise<void>;
  locator(locator: BatonLocatorString): BatonLocator;
}

interface BatonContext {
  /** The context's open pages, the first one and popups, as pages the script can drive. */
  pages(): Promise<BatonPage[]>;
  /**
   * The next page opened in the browser:
   * const popup = context.waitForEvent('page'); await page.click('text=Open'); const details = await popup;
   */
  waitForEvent(event: 'page'): Promise<BatonPage>;
}

/**
 * The node's Website login (Credential field). password and totp are placeholders that page.fill and page.type
 * replace with the secret (totp: the current 2FA code) on the worker: the script itself never sees them.
 */
interface BatonCredential {
  readonly username: string;
  readonly password: string;
  readonly totp: string;
}

/** The node's input (the previous node's output), as JSON. */
declare const input: any;
declare const page: BatonPage;
declare const context: BatonContext;
declare const credential: BatonCredential;
`;
