// The live browser view's wire contract: JPEG frames a server-side page streams to the editor, and the pointer and
// keyboard input the editor sends back. Shared by the recorder and human takeover; inputs come from sockets, so
// they are validated with `liveInputSchema` before they reach a page.
// The issue asks for the input schema here, shared by every socket handler that drives a page; zod is pure, as in
// contracts/templates.ts.
// eslint-disable-next-line no-restricted-imports
import { z } from 'zod';

/** One screencast frame. */
export interface LiveFrame {
  /** Base64 JPEG. */
  data: string;
  /** The page's CSS pixel size the frame shows (the image may be scaled down from it). */
  width: number;
  height: number;
}

/** Pointer and keyboard input, in page CSS pixels. */
export type LiveInput =
  | { type: 'click' | 'move' | 'down' | 'up'; x: number; y: number; button?: 'left' | 'right' }
  | { type: 'wheel'; x: number; y: number; deltaY: number }
  | { type: 'key'; key: string }
  | { type: 'text'; text: string };

/** Beyond any real viewport (spec.ts allows 4000), so a bad coordinate is refused, not clamped silently. */
const coordinate = z.number().finite().min(0).max(10_000);

export const liveInputSchema: z.ZodType<LiveInput> = z.discriminatedUnion('type', [
  z
    .object({
      type: z.enum(['click', 'move', 'down', 'up']),
      x: coordinate,
      y: coordinate,
      button: z.enum(['left', 'right']).optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('wheel'),
      x: coordinate,
      y: coordinate,
      deltaY: z.number().finite().min(-10_000).max(10_000),
    })
    .strict(),
  // Playwright key names ("Enter", "Shift+Tab", "Control+a"): short, no spaces.
  z.object({ type: z.literal('key'), key: z.string().min(1).max(40).regex(/^\S+$/) }).strict(),
  z.object({ type: z.literal('text'), text: z.string().min(1).max(2_000) }).strict(),
]) as z.ZodType<LiveInput>;
