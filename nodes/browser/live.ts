// A page shown live to a person and driven by them: Chromium's screencast (CDP Page.startScreencast) streams JPEG
// frames, and the pointer and keyboard input they send back is replayed with Playwright's mouse and keyboard. Used by
// the recorder (app/lib/browser-recorder.server.ts) and human takeover; contracts/browser-live.ts is the wire shape.
import type { Page } from 'playwright-core';
import type { LiveFrame, LiveInput } from '../../contracts/browser-live';

export interface ScreencastOptions {
  /** Frames wider than this are scaled down by Chromium (default 1280). */
  maxWidth?: number;
  /** JPEG quality, 0–100 (default 70). */
  quality?: number;
}

/**
 * Starts streaming `page` to `onFrame`; resolves to a function that stops it. Each frame is acknowledged after
 * `onFrame` returns, which is what makes Chromium send the next one (it sends none while frames are unacknowledged).
 */
export async function startScreencast(
  page: Page,
  onFrame: (frame: LiveFrame) => void,
  opts: ScreencastOptions = {},
): Promise<() => Promise<void>> {
  const session = await page.context().newCDPSession(page);
  let stopped = false;
  session.on('Page.screencastFrame', (event) => {
    if (stopped) return;
    const { deviceWidth, deviceHeight } = event.metadata;
    onFrame({ data: event.data, width: Math.round(deviceWidth), height: Math.round(deviceHeight) });
    session.send('Page.screencastFrameAck', { sessionId: event.sessionId }).catch(() => undefined);
  });
  await session.send('Page.startScreencast', {
    format: 'jpeg',
    quality: opts.quality ?? 70,
    maxWidth: opts.maxWidth ?? 1280,
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
export async function applyInput(page: Page, input: LiveInput): Promise<void> {
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
      return page.mouse.wheel(0, input.deltaY);
    case 'key':
      return page.keyboard.press(input.key);
    case 'text':
      // type(), not insertText(): pages listening for keydown/keypress see each character as from a keyboard.
      return page.keyboard.type(input.text);
  }
}
