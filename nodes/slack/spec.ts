// Posts a message to Slack: through the Web API's chat.postMessage with a bot token (any channel the app may post
// in, threads), or through an incoming webhook (one fixed channel). A retried step does not post twice: the first
// attempt leaves a posted-mark with the message's ts (docs/decisions/048-saas-nodes.md).
import { defineNode, param, type ParamProblem } from '../define';

export const SLACK_VIA = ['api', 'webhook'] as const;

const filled = (value: unknown) => typeof value === 'string' && value.trim() !== '';

export const spec = defineNode({
  type: 'slack',
  version: 1,
  title: 'Slack',
  description:
    'Post a message to a Slack channel, with a bot token or an incoming webhook; outputs its channel and ts.',
  category: 'integration',
  icon: '#',
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [{ id: 'out', label: 'Posted' }],
  params: {
    via: param.select({
      label: 'Post with',
      description:
        'A bot token posts to any channel the app is in; a webhook posts to the one channel it was made for.',
      placeholder: 'Bot token',
      values: SLACK_VIA,
      options: [
        { value: 'api', label: 'Bot token (chat.postMessage)' },
        { value: 'webhook', label: 'Incoming webhook' },
      ],
      default: 'api',
      expression: false,
    }),
    credential: param.credential({
      label: 'Slack bot token',
      description: 'A Slack bot token credential; its app needs the chat:write scope.',
      placeholder: 'Pick a Slack bot token',
      types: ['slack-bot'],
      showWhen: { param: 'via', oneOf: ['api'] },
    }),
    webhook: param.credential({
      label: 'Incoming webhook',
      description: 'A Slack incoming webhook credential.',
      placeholder: 'Pick a Slack incoming webhook',
      types: ['slack-webhook'],
      showWhen: { param: 'via', oneOf: ['webhook'] },
    }),
    channel: param.text({
      label: 'Channel',
      description: 'A channel ID (C0123456789, in the channel’s details) or name (#general). Invite the app first.',
      placeholder: '#new-hires',
      maxLength: 200,
      showWhen: { param: 'via', oneOf: ['api'] },
    }),
    text: param.textarea({
      label: 'Text',
      description: 'The message, in Slack’s mrkdwn (*bold*, <https://…|links>). With blocks: the notification text.',
      placeholder: 'Welcome {{ $input.name }} :tada:',
      maxLength: 40_000,
    }),
    blocks: param.json({
      label: 'Blocks',
      description: 'Block Kit blocks (a list, or Block Kit Builder’s { "blocks": [...] }); optional.',
      placeholder: '[{ "type": "section", "text": { "type": "mrkdwn", "text": "*{{ $input.name }}* starts Monday" } }]',
      maxLength: 256 * 1024,
    }),
    threadTs: param.text({
      label: 'Reply in thread',
      description: 'The ts of the message to reply to (another Slack step’s output ts); empty: a new message.',
      placeholder: '{{ $node("Announce").ts }}',
      maxLength: 64,
      showWhen: { param: 'via', oneOf: ['api'] },
    }),
  },
  check(params): ParamProblem[] {
    const problems: ParamProblem[] = [];
    const pick = (path: string, message: string) => problems.push({ path: [path], message, incomplete: true });
    if (params.via === 'webhook') {
      if (!filled(params.webhook)) pick('webhook', 'Param "webhook": pick an incoming webhook credential');
    } else {
      if (!filled(params.credential)) pick('credential', 'Param "credential": pick a Slack bot token credential');
      if (!filled(params.channel)) pick('channel', 'Param "channel": name the channel to post to');
    }
    const blocks = params.blocks;
    const noBlocks =
      blocks === undefined || blocks === null || blocks === '' || (Array.isArray(blocks) && !blocks.length);
    if (!filled(params.text) && noBlocks) pick('text', 'Param "text": write the message (or give blocks)');
    return problems;
  },
  runtime: { kind: 'activity', taskQueue: 'default' },
  // A rate limit is waited out inside the step, up to twice 30 s (nodes/retry-after.ts), each call taking up to 30 s.
  policy: { timeoutMs: 180_000 },
});
