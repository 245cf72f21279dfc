// Chatting with a workflow in real Chromium: a published workflow (Chat trigger → Agent in chat mode) on an
// OpenAI-compatible model served by the scripted fake server (test/fake-llm), whose first reply is long enough to
// stream in many pieces. The editor's chat bar opens the chat page; the first message typed and sent with Enter starts
// a conversation, the reply shows growing before it is whole, then a second message (Shift+Enter makes it two lines)
// is answered in the same conversation, the page saying the assistant thinks meanwhile; closing it says the chat
// ended. Screenshots in test-results/.
import { expect, test } from '@playwright/test';
import { launchFakeLlm, type FakeLlm } from '../test/fake-llm/launch';
import { api, createWorkflow, docEdge, docNode } from './api';
import { signIn } from './session';

test.describe.configure({ timeout: 300_000 });

/** Long enough that streaming it piece by piece outlasts several 150 ms flushes. */
const FIRST_REPLY = Array.from(
  { length: 160 },
  (_, i) => `Step ${i + 1}: I can prepare the accounts, the laptop and the welcome email. `,
).join('');
const SECOND_REPLY = 'Done: Jane Doe starts on Monday, and her manager has the plan.';

let llm: FakeLlm;

test.beforeAll(async () => {
  llm = await launchFakeLlm('openai');
});

test.afterAll(async () => {
  await llm?.stop();
});

test('a person chats with a workflow: the reply streams in, a second message is answered, the chat closes', async ({
  page,
}) => {
  await signIn(page);
  await llm.script([
    { kind: 'text', text: FIRST_REPLY },
    // The server holds the second answer back a while, so the page shows the assistant thinking meanwhile.
    { kind: 'text', text: SECOND_REPLY, delayMs: 3_000 },
  ]);
  const { credential } = await api<{ credential: { id: string } }>(page, 'POST', '/api/credentials', {
    name: `Chat LLM ${Date.now()}`,
    type: 'openai-compatible',
    values: { baseUrl: llm.url },
  });
  const { model } = await api<{ model: { id: string } }>(page, 'POST', '/api/models', {
    name: `chat-model-${Date.now()}`,
    provider: 'openai-compatible',
    model: 'fake-model',
    credentialId: credential.id,
  });
  const workflowId = await createWorkflow(page, `HR assistant ${Date.now()}`, {
    nodes: [
      docNode('Chat', 'chat-trigger', 100, 200, {
        title: 'HR assistant',
        welcome: 'Ask me to onboard a new hire, e.g. "onboard Jane Doe, start Monday".',
      }),
      docNode('Assistant', 'agent', 400, 200, {
        model: model.id,
        system: 'You are the HR assistant.',
        prompt: '{{ $input.message }}',
        tools: [],
        conversation: 'chat',
      }),
    ],
    edges: [docEdge('Chat', 'out', 'Assistant')],
  });
  await api(page, 'POST', `/api/workflows/${workflowId}/publish`, {});

  // The editor shows where the chat is.
  await page.goto(`/workflows/${workflowId}`);
  const bar = page.getByTestId('chat-bar');
  await expect(bar).toContainText('Chat page');
  await expect(bar.getByRole('link', { name: 'Chat' })).toHaveAttribute('href', `/chat/${workflowId}`);
  await bar.screenshot({ path: 'test-results/chat-editor-bar.png' });

  await page.goto(`/chat/${workflowId}`);
  await expect(page.locator('html[data-hydrated]')).toBeAttached();
  await expect(page.getByRole('heading', { name: 'HR assistant' })).toBeVisible();
  await expect(page.getByTestId('chat-welcome')).toContainText('onboard Jane Doe');
  await page.screenshot({ path: 'test-results/chat-new.png' });

  const box = page.getByLabel('Message');
  await box.fill('Hi, can you help me onboard someone?');
  await box.press('Enter');
  await expect(page.getByTestId('chat-user')).toHaveText(['Hi, can you help me onboard someone?']);
  await expect(page).toHaveURL(/\?session=run_/);

  // One instant at which part of the reply shows, still streaming.
  const reply = page.getByTestId('chat-assistant');
  await expect
    .poll(
      async () => {
        const live = page.locator('[data-testid="chat-assistant"][data-live="true"]');
        if ((await live.count()) === 0) return false;
        const text = (await live.textContent()) ?? '';
        return text.length > 0 && text.length < FIRST_REPLY.length;
      },
      { timeout: 90_000, intervals: [100] },
    )
    .toBe(true);
  await page.screenshot({ path: 'test-results/chat-streaming.png' });
  await expect(reply).toHaveText([FIRST_REPLY.trim()], { timeout: 90_000 });
  await expect(reply).not.toHaveAttribute('data-live', 'true');
  await expect(page.getByTestId('chat-session')).toHaveCount(1);
  await expect(page.getByTestId('chat-session')).toContainText('Hi, can you help me onboard someone?');

  await box.fill('Onboard Jane Doe,');
  await box.press('Shift+Enter');
  await box.pressSequentially('start Monday');
  await expect(box).toHaveValue('Onboard Jane Doe,\nstart Monday');
  await box.press('Enter');
  await expect(box).toHaveValue('');
  await expect(page.getByTestId('chat-activity')).toHaveText('Thinking…');
  await page.screenshot({ path: 'test-results/chat-thinking.png' });
  await expect(page.getByTestId('chat-user')).toHaveText([
    'Hi, can you help me onboard someone?',
    'Onboard Jane Doe,\nstart Monday',
  ]);
  await expect(reply).toHaveText([FIRST_REPLY.trim(), SECOND_REPLY], { timeout: 90_000 });
  await page.screenshot({ path: 'test-results/chat-second.png' });

  await page.getByRole('button', { name: 'Close chat' }).click();
  await expect(page.getByTestId('chat-ended')).toHaveText('Chat ended', { timeout: 60_000 });
  await expect(page.getByRole('button', { name: 'Start a new chat' })).toBeVisible();
  await expect(page.getByTestId('chat-session')).toContainText('Ended');
  await page.screenshot({ path: 'test-results/chat-ended.png' });
});
