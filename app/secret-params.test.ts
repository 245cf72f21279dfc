// Webhook secrets never come back from the API in clear, and saving the document the API returned keeps them:
// the webhook still checks the caller against the original secret.
import { createHmac } from 'node:crypto';
import { chain, docWith, setNode, webhookNode } from './web-test-documents';
import { startWebStack, type WebStack } from './web-test-stack';

let stack: WebStack;

beforeAll(async () => {
  stack = await startWebStack('secret_params', { worker: true });
}, 240_000);

afterAll(async () => {
  await stack?.stop();
});

const SECRET = 'hmac-key-that-must-stay-secret';

function signed(body: string, secret: string) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Baton-Timestamp': timestamp, 'X-Baton-Signature': signature },
    body,
  };
}

test('secrets are masked in every response, and a round-tripped save keeps them', async () => {
  const document = docWith(
    [webhookNode('w', { path: 'signed', auth: 'hmac', secret: SECRET }), setNode('s', { ok: 'yes' })],
    [chain('w', 's')],
  );
  const created = await stack.api('POST', '/api/workflows', { name: 'Signed', document });
  expect(created.status).toBe(201);
  expect(JSON.stringify(created.body)).not.toContain(SECRET);
  const id = created.body.workflow.id as string;

  const fetched = await stack.api('GET', `/api/workflows/${id}`);
  expect(JSON.stringify(fetched.body)).not.toContain(SECRET);
  expect(fetched.body.workflow.document.nodes[0].params.secret).toBe('[secret]');

  // The editor saves back what it was given (with a rename), placeholder included.
  const saved = await stack.api('PUT', `/api/workflows/${id}`, {
    revision: fetched.body.workflow.revision,
    name: 'Signed (renamed)',
    document: fetched.body.workflow.document,
  });
  expect(saved.status).toBe(200);
  expect(JSON.stringify(saved.body)).not.toContain(SECRET);
  expect((await stack.api('POST', `/api/workflows/${id}/publish`)).status).toBe(201);

  // The stored secret is the original one: its signature passes, the placeholder's does not.
  const body = JSON.stringify({ n: 1 });
  expect((await fetch(`${stack.url}/hooks/${id}/signed`, signed(body, SECRET))).status).toBe(202);
  expect((await fetch(`${stack.url}/hooks/${id}/signed`, signed(body, '[secret]'))).status).toBe(401);
  const versions = await stack.api('GET', `/api/workflows/${id}/versions`);
  expect(JSON.stringify(versions.body)).not.toContain(SECRET);
});
