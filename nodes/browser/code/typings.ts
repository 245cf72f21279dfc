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
  /** At most 30000 ms. */
  waitForTimeout(ms: number): Promise<void>;
  textContent(locator: BatonLocatorString): Promise<string | null>;
  innerText(locator: BatonLocatorString): Promise<string>;
  getAttribute(locator: BatonLocatorString, name: string): Promise<string | null>;
  /** A JavaScript expression, as a string, evaluated in the page; its value must be JSON. */
  evaluate<T = unknown>(expression: string): Promise<T>;
  /** Stores a PNG with the run and returns its reference (return it to output it). */
  screenshot(options?: { name?: string; fullPage?: boolean }): Promise<BatonFileRef>;
  locator(locator: BatonLocatorString): BatonLocator;
}

interface BatonContext {
  /** The context's open pages (popups included). */
  pages(): Promise<Array<{ url: string }>>;
}

/** The node's input (the previous node's output), as JSON. */
declare const input: any;
declare const page: BatonPage;
declare const context: BatonContext;
`;
