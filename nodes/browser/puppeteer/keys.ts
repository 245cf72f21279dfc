// Key presses in Playwright's notation ("Enter", "Control+A", "Shift++") with Puppeteer's keyboard, which takes
// one key at a time.
import type { KeyInput, Page } from 'puppeteer-core';

/** Playwright's platform-neutral modifier; workers run Chromium on Linux, where it is Control. */
const ALIASES: Record<string, string> = { ControlOrMeta: 'Control' };

function parseCombo(combo: string): { modifiers: string[]; key: string } {
  const tokens = combo.split('+');
  let key = tokens.pop()!;
  if (key === '' && tokens.at(-1) === '') {
    tokens.pop();
    key = '+';
  }
  if (key === '' || tokens.some((t) => t === '')) throw new Error(`"${combo}" is not a key such as Enter or Control+A`);
  return { modifiers: tokens.map((t) => ALIASES[t] ?? t), key: ALIASES[key] ?? key };
}

/** Presses `combo` on the focused element: modifiers held down around the key. */
export async function pressKeys(page: Page, combo: string): Promise<void> {
  const { modifiers, key } = parseCombo(combo);
  const held: string[] = [];
  try {
    for (const modifier of modifiers) {
      await page.keyboard.down(modifier as KeyInput);
      held.push(modifier);
    }
    await page.keyboard.press(key as KeyInput);
  } finally {
    for (const modifier of held.reverse()) await page.keyboard.up(modifier as KeyInput);
  }
}
