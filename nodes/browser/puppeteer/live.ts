// A Puppeteer page shown live to a person and driven by them, for human takeover (../takeover.ts): the same CDP
// screencast ../live.ts streams from a Playwright page, and the person's pointer and keys replayed with Puppeteer's
// mouse and keyboard. The relay sees only the engine-neutral LiveSurface.
import type { Page } from 'puppeteer-core';
import type { LiveFrame, LiveInput } from '../../../contracts/browser-live';
import { scrubUrlSecrets } from '../../../contracts/redaction';
import type { LiveSurface } from '../../define';
import { pressKeys } from './keys';

/**
 * Streams `page` to `onFrame` until the returned function is called. Each frame is acknowledged after `onFrame`
 * returns, which is what makes Chromium send the next one.
 */
async function startScreencast(page: Page, onFrame: (frame: LiveFrame) => void): Promise<() => Promise<void>> {
  const session = await page.createCDPSession();
  let stopped = false;
  session.on('Page.screencastFrame', (event) => {
    if (stopped) return;
    const { deviceWidth, deviceHeight } = event.metadata;
    onFrame({ data: event.data, width: Math.round(deviceWidth), height: Math.round(deviceHeight) });
    session.send('Page.screencastFrameAck', { sessionId: event.sessionId }).catch(() => undefined);
  });
  await session.send('Page.startScreencast', {
    format: 'jpeg',
    quality: 70,
    maxWidth: 1280,
    maxHeight: 4000,
    everyNthFrame: 1,
  });
  return async () => {
    if (stopped) return;
    stopped = true;
    // The page may already be closed: then the session went with it and there is nothing to stop.
    await session.send('Page.stopScreencast').catch(() => undefined);
    await session.detach().catch(() => undefined);
  };
}

/** Replays one input on the page, as a person at the screen would have made it. */
async function applyInput(page: Page, input: LiveInput): Promise<void> {
  switch (input.type) {
    case 'click':
      return page.mouse.click(input.x, input.y, { button: input.button ?? 'left' });
    case 'move':
      return page.mouse.move(input.x, input.y);
    case 'down':
      await page.mouse.move(input.x, input.y);
      return page.mouse.down({ button: input.button ?? 'left' });
    case 'up':
      await page.mouse.move(input.x, input.y);
      return page.mouse.up({ button: input.button ?? 'left' });
    case 'wheel':
      await page.mouse.move(input.x, input.y);
      return page.mouse.wheel({ deltaY: input.deltaY });
    case 'key':
      // Playwright's notation ("Shift+Tab"), which the live view sends whichever engine holds the page.
      return pressKeys(page, input.key);
    case 'text':
      return page.keyboard.type(input.text);
  }
}

/** The page as the takeover relay sees it: frames out, input in. */
export function puppeteerSurface(page: Page): LiveSurface {
  // Puppeteer learns of a same-document navigation (a hash or history change) from a CDP event that may come after
  // the input's own answer: the address is read from the page after each input, so the relay reports where the input
  // led. It stands until page.url() moves on by itself (a later navigation).
  let read: { href: string; puppeteerUrl: string } | undefined;
  return {
    watch: (onFrame) => startScreencast(page, onFrame),
    apply: async (input) => {
      await applyInput(page, input);
      const href = await page.evaluate('location.href').catch(() => undefined);
      read = typeof href === 'string' ? { href, puppeteerUrl: page.url() } : undefined;
    },
    url: () => scrubUrlSecrets(read && read.puppeteerUrl === page.url() ? read.href : page.url()),
  };
}
