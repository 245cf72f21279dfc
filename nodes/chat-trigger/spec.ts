// Starts a run when a member opens a conversation on the workflow's chat page (/chat/<workflow id>): the first message
// starts the run, and each later one is a signal to it that the workflow's Agent in "Chat" conversation mode reads
// next (workflows/chat.ts). The web finds it through its `chat` binding (nodes/triggers.ts); the run's trigger payload
// is `{ message, user: { id, name } }`.
import { defineNode, param, type ParamsOf } from '../define';
import type { ChatPage } from '../triggers';

export const CHAT_ACCESS = ['members'] as const;
const DEFAULT_TITLE = 'Chat';
const DEFAULT_WELCOME = 'Hello! Tell me what you need, and I will take it from there.';

const params = {
  title: param.text({
    label: 'Title',
    description: 'The name of the chat, shown at the top of its page.',
    placeholder: 'HR assistant',
    default: DEFAULT_TITLE,
    maxLength: 120,
    expression: false,
  }),
  welcome: param.textarea({
    label: 'Welcome text',
    description: 'Shown above every conversation, before the first message: say what the assistant can do.',
    placeholder: 'Ask me to onboard a new hire, e.g. "onboard Jane Doe, start Monday".',
    default: DEFAULT_WELCOME,
    maxLength: 4000,
    expression: false,
  }),
  access: param.select({
    label: 'Who may chat',
    description:
      'Signed-in members of this workspace who may start runs; each conversation is a run started by them. ' +
      'Public chats (without signing in) are not offered in this version.',
    placeholder: 'members',
    values: CHAT_ACCESS,
    options: [{ value: 'members', label: 'Members of this workspace (sign-in)' }],
    default: 'members',
    expression: false,
  }),
};

/** Absent keys are possible: plans frozen before a param existed lack it. */
type Params = Partial<ParamsOf<typeof params>>;

export function chatTriggerPage(p: Params): ChatPage {
  return {
    title: p.title?.trim() || DEFAULT_TITLE,
    welcome: p.welcome?.trim() || DEFAULT_WELCOME,
    access: 'members',
  };
}

export function chatPayload(_params: unknown, message: string, user: { id: string; name: string }) {
  return { message, user: { id: user.id, name: user.name } };
}

/** A test run from the editor has no conversation: the caller's input stands in (a bare string is the message). */
function manualPayload(_params: unknown, provided: unknown): unknown {
  if (provided === undefined) return { message: '', user: null };
  return typeof provided === 'string' ? { message: provided, user: null } : provided;
}

export const spec = defineNode({
  type: 'chat-trigger',
  version: 1,
  title: 'Chat trigger',
  description:
    'Start the workflow when a member writes on its chat page; an Agent set to Conversation "Chat" answers each ' +
    'message (its prompt: {{ $input.message }}).',
  category: 'trigger',
  icon: 'chat',
  inputs: [],
  outputs: [{ id: 'out', label: 'First message' }],
  params,
  runtime: {
    kind: 'trigger',
    binding: 'chat',
    manualPayload,
    chat: { page: chatTriggerPage, payload: chatPayload },
  },
});
