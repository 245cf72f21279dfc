// What a Slack step may send, checked field by field before anything leaves the worker: a channel that is an ID or a
// name (no spaces or line breaks), text within Slack's limit, Block Kit blocks as a list of objects with a `type`.
// Problems are reported by the field's label, as the node's form names them.

/** A field the message was built from, by its label, and what is wrong with it. */
export class SlackFieldError extends Error {
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = 'SlackFieldError';
  }
}

export interface SlackMessage {
  text?: string;
  blocks?: Array<Record<string, unknown>>;
}

/** chat.postMessage: "Provide no more than 40,000 characters or risk truncation". */
export const MAX_TEXT_CHARS = 40_000;
/** Block Kit: a message holds up to 50 blocks. */
export const MAX_BLOCKS = 50;

// A conversation ID (C…, G…, D…) or a channel name, optionally with its #; names are lower-case letters, digits,
// hyphens, underscores and periods, up to 80 characters.
const CHANNEL = /^#?[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;
const TS = /^\d{1,12}\.\d{1,8}$/;

export function channelOf(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw new SlackFieldError('Channel', 'is required');
  const channel = value.trim();
  if (!CHANNEL.test(channel)) {
    throw new SlackFieldError(
      'Channel',
      `${JSON.stringify(channel.slice(0, 100))} is not a channel ID (C0123456789) or name (#general)`,
    );
  }
  return channel;
}

export function threadTsOf(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || !TS.test(value.trim())) {
    throw new SlackFieldError('Thread', `must be the ts of a message, like 1503435956.000247, not ${describe(value)}`);
  }
  return value.trim();
}

/** The text and blocks of a message; at least one of them is required. */
export function buildMessage(draft: { text?: unknown; blocks?: unknown }): SlackMessage {
  const text = textOf(draft.text);
  const blocks = blocksOf(draft.blocks);
  if (text === undefined && blocks === undefined) throw new SlackFieldError('Text', 'a text or blocks are required');
  return { ...(text === undefined ? {} : { text }), ...(blocks === undefined ? {} : { blocks }) };
}

function textOf(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const text = typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
  if (typeof text !== 'string') throw new SlackFieldError('Text', `must be text, not ${describe(value)}`);
  if (text.length > MAX_TEXT_CHARS) {
    throw new SlackFieldError('Text', `is ${text.length} characters long; Slack takes up to ${MAX_TEXT_CHARS}`);
  }
  return text;
}

/** A list of blocks, the JSON text of one, or Block Kit Builder's `{ "blocks": [...] }`. Empty gives none. */
function blocksOf(value: unknown): SlackMessage['blocks'] {
  if (value === undefined || value === null || value === '') return undefined;
  let blocks: unknown = value;
  if (typeof blocks === 'string') {
    try {
      blocks = JSON.parse(blocks);
    } catch {
      throw new SlackFieldError('Blocks', 'is not valid JSON; paste the blocks from Block Kit Builder');
    }
  }
  if (blocks && typeof blocks === 'object' && !Array.isArray(blocks) && 'blocks' in blocks) {
    blocks = (blocks as { blocks: unknown }).blocks;
  }
  if (!Array.isArray(blocks)) throw new SlackFieldError('Blocks', `must be a list of blocks, not ${describe(blocks)}`);
  if (blocks.length === 0) return undefined;
  if (blocks.length > MAX_BLOCKS) {
    throw new SlackFieldError('Blocks', `has ${blocks.length} blocks; a message holds up to ${MAX_BLOCKS}`);
  }
  blocks.forEach((block, index) => {
    const type = (block as { type?: unknown } | null)?.type;
    if (!block || typeof block !== 'object' || Array.isArray(block) || typeof type !== 'string' || type === '') {
      throw new SlackFieldError(`Blocks (block ${index + 1})`, 'must be an object with a "type", like "section"');
    }
  });
  return blocks as Array<Record<string, unknown>>;
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
