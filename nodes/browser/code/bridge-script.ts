// The JavaScript that runs in QuickJS before a Browser code script: it builds `page`, `context`, `credential`,
// `console` and `input` on what the child installs (__batonCall, __batonLog, __batonInput, __batonCredential) and
// then removes those from the global object, so a script reaches the browser only through these methods. The method
// names are the host's table (page-calls.ts); each call's arguments are checked there. Evaluated as bridge.js, so its
// frames never count as the script's lines.
import { MAX_CONSOLE_LINE_LENGTH } from './protocol';

export const BRIDGE_FILE = 'bridge.js';
export const SCRIPT_FILE = 'code.js';

export const BRIDGE_SCRIPT = `(() => {
  const host = globalThis.__batonCall;
  const log = globalThis.__batonLog;
  const input = JSON.parse(globalThis.__batonInput);
  const login = globalThis.__batonCredential ? JSON.parse(globalThis.__batonCredential) : null;
  delete globalThis.__batonCall;
  delete globalThis.__batonLog;
  delete globalThis.__batonInput;
  delete globalThis.__batonCredential;
  globalThis.input = input;

  // Pages are ids on the host; the same id is always the same object, so popup === (await context.pages())[1].
  const pages = new Map();
  const revive = (value) => {
    if (Array.isArray(value)) return value.map(revive);
    if (value && typeof value === 'object' && typeof value.$batonPage === 'number') return pageOf(value.$batonPage);
    return value;
  };

  // The Error is made when the script calls, so its stack names the script's line; the answer comes later.
  const call = (method, args, pageId = 0) => {
    const error = new Error(method);
    error.name = 'PageCallError';
    let json;
    try {
      json = JSON.stringify(args);
    } catch (e) {
      error.message = method + ': its arguments are not JSON (' + e.message + ')';
      return Promise.reject(error);
    }
    return host(method, json, pageId).then(
      (answer) => (answer === '' ? undefined : revive(JSON.parse(answer))),
      (reason) => {
        error.message = method + ': ' + reason;
        throw error;
      },
    );
  };

  const locator = (selector, pageId) =>
    Object.freeze({
      count: () => call('locator.count', [selector], pageId),
      allInnerTexts: () => call('locator.allInnerTexts', [selector], pageId),
      allTextContents: () => call('locator.allTextContents', [selector], pageId),
    });

  function pageOf(id) {
    if (pages.has(id)) return pages.get(id);
    const fixed = (n, method) => (...args) => call(method, args.slice(0, n), id);
    const page = Object.freeze({
      goto: fixed(1, 'page.goto'),
      url: fixed(0, 'page.url'),
      title: fixed(0, 'page.title'),
      click: fixed(1, 'page.click'),
      fill: fixed(2, 'page.fill'),
      type: fixed(2, 'page.type'),
      press: fixed(2, 'page.press'),
      selectOption: fixed(2, 'page.selectOption'),
      check: fixed(1, 'page.check'),
      uncheck: fixed(1, 'page.uncheck'),
      hover: fixed(1, 'page.hover'),
      waitFor: fixed(2, 'page.waitFor'),
      waitForURL: fixed(1, 'page.waitForURL'),
      waitForLoadState: fixed(1, 'page.waitForLoadState'),
      waitForTimeout: fixed(1, 'page.waitForTimeout'),
      waitForEvent: fixed(1, 'page.waitForEvent'),
      textContent: fixed(1, 'page.textContent'),
      innerText: fixed(1, 'page.innerText'),
      getAttribute: fixed(2, 'page.getAttribute'),
      evaluate: fixed(1, 'page.evaluate'),
      screenshot: fixed(1, 'page.screenshot'),
      close: fixed(0, 'page.close'),
      locator: (selector) => locator(selector, id),
    });
    pages.set(id, page);
    return page;
  }
  globalThis.page = pageOf(0);
  globalThis.context = Object.freeze({
    pages: () => call('context.pages', []),
    waitForEvent: (event) => call('context.waitForEvent', [event]),
  });

  // The login's secrets stay on the host: password and totp are tokens that page.fill and page.type replace there
  // (as is the user name when no login is chosen, so that the fill fails naming the missing credential).
  globalThis.credential = Object.freeze({
    username: login ? login.username : '$credential.username',
    password: '$credential.password',
    totp: '$credential.totp',
  });

  const format = (values) =>
    values
      .map((v) => {
        if (typeof v === 'string') return v;
        try {
          return JSON.stringify(v);
        } catch {
          return String(v);
        }
      })
      .join(' ')
      .slice(0, ${MAX_CONSOLE_LINE_LENGTH});
  const print = (...values) => log(format(values));
  globalThis.console = Object.freeze({ log: print, info: print, warn: print, error: print });
})();`;

/**
 * The script as the body of an async function. Its first line shares line 1 with the function's head, so QuickJS's
 * line numbers are the editor's; the promise resolves to the return value as JSON text ('' for undefined).
 */
export function wrapScript(code: string): string {
  return `(async function () {${code}\n})().then((value) => (value === undefined ? '' : JSON.stringify(value)))`;
}
