import { keepStoredSecrets, maskSecrets, SECRET_PLACEHOLDER } from './secret-params';

const hook = (params: Record<string, unknown>, id = 'w', type = 'webhook-trigger') => ({
  id,
  type,
  version: 1,
  name: id,
  position: { x: 0, y: 0 },
  params,
});
const doc = (...nodes: Array<ReturnType<typeof hook>>) => ({ nodes, edges: [], settings: {} });

test('masks set secrets only, without touching the original', () => {
  const original = doc(hook({ path: 'in', auth: 'basic', basicUser: 'u', basicPassword: 'pw', secret: '' }));
  const masked = maskSecrets(original);
  expect(masked.nodes[0]).toMatchObject({
    params: { path: 'in', basicUser: 'u', basicPassword: SECRET_PLACEHOLDER, secret: '' },
  });
  expect(original.nodes[0]).toMatchObject({ params: { basicPassword: 'pw' } });
  expect(JSON.stringify(masked)).not.toContain('"pw"');
});

test('a placeholder sent back keeps the stored secret; a new value replaces it', () => {
  const stored = doc(hook({ path: 'in', basicPassword: 'old-pw', secret: 'old-key' }));
  const incoming = doc(hook({ path: 'in', basicPassword: SECRET_PLACEHOLDER, secret: 'new-key' }));
  expect(keepStoredSecrets(incoming, stored).nodes[0]).toMatchObject({
    params: { basicPassword: 'old-pw', secret: 'new-key' },
  });
});

test('a placeholder with nothing behind it is dropped, never stored as the secret', () => {
  const incoming = doc(hook({ path: 'in', secret: SECRET_PLACEHOLDER }, 'copied'));
  const kept = keepStoredSecrets(incoming, doc(hook({ secret: 'other node' }, 'w')));
  expect(kept.nodes[0].params).toEqual({ path: 'in' });
  expect(keepStoredSecrets(incoming, undefined).nodes[0].params).toEqual({ path: 'in' });
});

test('non-secret params and unknown node types pass through unchanged', () => {
  const odd = doc(hook({ text: SECRET_PLACEHOLDER }, 'x', 'no-such-type'), hook({ path: '[secret]' }));
  expect(maskSecrets(odd)).toEqual(odd);
  expect(keepStoredSecrets(odd, undefined)).toEqual(odd);
});
