// Slack's own error strings (https://docs.slack.dev/reference/methods/chat.postMessage#errors, and the incoming
// webhook errors of https://api.slack.com/changelog/2016-05-17-changes-to-errors-for-incoming-webhooks) turned into
// what was wrong, which field of the node it concerns, and whether trying again can help.

export interface SlackProblem {
  /** The node field to fix, when one is to blame. */
  field?: 'Channel' | 'Text' | 'Blocks' | 'Thread' | 'Credential';
  message: string;
  retryable: boolean;
}

const CREDENTIAL = (what: string) => ({
  field: 'Credential' as const,
  message: `${what}; check the Slack credential`,
  retryable: false,
});

const PROBLEMS: Record<string, (channel: string) => SlackProblem> = {
  channel_not_found: (c) => ({
    field: 'Channel',
    message: `there is no channel ${c} that this app can see (channel_not_found); use the channel ID (C…), and invite the app to private channels`,
    retryable: false,
  }),
  not_in_channel: (c) => ({
    field: 'Channel',
    message: `the app is not a member of ${c} (not_in_channel); invite it (/invite @your-app) or give it the chat:write.public scope`,
    retryable: false,
  }),
  is_archived: (c) => ({ field: 'Channel', message: `${c} is archived (is_archived)`, retryable: false }),
  channel_is_archived: (c) => ({
    field: 'Channel',
    message: `${c} is archived (channel_is_archived)`,
    retryable: false,
  }),
  restricted_action: (c) => ({
    field: 'Channel',
    message: `a workspace setting forbids this app to post in ${c}`,
    retryable: false,
  }),
  restricted_action_read_only_channel: (c) => ({ field: 'Channel', message: `${c} is read-only`, retryable: false }),
  restricted_action_thread_only_channel: (c) => ({
    field: 'Thread',
    message: `${c} takes replies in threads only; give the ts of the message to reply to`,
    retryable: false,
  }),
  action_prohibited: (c) => ({ field: 'Channel', message: `the workspace forbids posting to ${c}`, retryable: false }),
  user_not_found: () => ({ field: 'Channel', message: 'the user the message is for does not exist', retryable: false }),
  msg_too_long: () => ({ field: 'Text', message: 'the text is too long (msg_too_long)', retryable: false }),
  no_text: () => ({ field: 'Text', message: 'there is no text to post (no_text)', retryable: false }),
  invalid_blocks: () => ({
    field: 'Blocks',
    message: 'the blocks were refused (invalid_blocks); check them in Block Kit Builder',
    retryable: false,
  }),
  invalid_blocks_format: () => ({
    field: 'Blocks',
    message: 'the blocks are not a list of block objects (invalid_blocks_format)',
    retryable: false,
  }),
  invalid_payload: () => ({
    field: 'Blocks',
    message: 'the message could not be read (invalid_payload)',
    retryable: false,
  }),
  invalid_auth: () => CREDENTIAL('the bot token was refused (invalid_auth)'),
  not_authed: () => CREDENTIAL('no bot token reached Slack (not_authed)'),
  account_inactive: () => CREDENTIAL('the bot token belongs to a deleted user or workspace (account_inactive)'),
  token_revoked: () => CREDENTIAL('the bot token was revoked, or the app uninstalled (token_revoked)'),
  token_expired: () => CREDENTIAL('the bot token expired (token_expired)'),
  no_permission: () => CREDENTIAL('the token may not post there (no_permission)'),
  ekm_access_denied: () => CREDENTIAL('administrators suspended posting (ekm_access_denied)'),
  no_service: () => CREDENTIAL('the webhook is unknown (no_service): it was removed, or its app uninstalled'),
  invalid_token: () => CREDENTIAL('the webhook was refused (invalid_token): it was revoked'),
  no_team: () => CREDENTIAL('the workspace of the webhook is unknown (no_team)'),
};

/** Errors after which the same call may well succeed. */
const TRANSIENT = new Set([
  'fatal_error',
  'internal_error',
  'service_unavailable',
  'request_timeout',
  'rollup_error',
  'team_added_to_org',
  'org_login_required',
]);

/** What Slack's `error` string means for a message to `channel` (a display form: "#general" or "the webhook's channel"). */
export function explainSlackError(error: string, channel: string, detail = ''): SlackProblem {
  const known = PROBLEMS[error]?.(channel);
  if (known) return { ...known, message: `${known.message}${detail}` };
  if (error === 'missing_scope') {
    return CREDENTIAL(`the bot token lacks a scope this needs (missing_scope${detail}); add chat:write to the app`);
  }
  if (TRANSIENT.has(error)) {
    return { message: `the message could not be taken just now (${error})`, retryable: true };
  }
  return { message: `the message was refused: ${error.slice(0, 200)}${detail}`, retryable: false };
}
