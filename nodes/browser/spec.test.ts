// The Browser spec's own checks, as the compiler runs them on params as written: a step that types the Website login
// with no credential chosen is marked on its Value cell.
import { spec } from './spec';

it('marks a step that types a credential token when no Website login is chosen', () => {
  const steps = [
    { action: 'goto', target: 'https://example.com/login' },
    { action: 'fill', target: 'label=Email', value: '$credential.username' },
    { action: 'fill', target: 'label=Code', value: 'code: $credential.totp' },
  ];
  expect(spec.check!({ steps })).toEqual([
    {
      path: ['steps', 1, 'value'],
      message: 'Step 2 types $credential.username: choose a Website login in Credential',
      incomplete: true,
    },
    {
      path: ['steps', 2, 'value'],
      message: 'Step 3 types $credential.totp: choose a Website login in Credential',
      incomplete: true,
    },
  ]);
  expect(spec.check!({ steps, credential: 'cred_00000000-0000-4000-8000-000000000001' })).toEqual([]);
  expect(spec.check!({ steps: [{ action: 'fill', target: 'label=Email', value: '$credentials.user' }] })).toEqual([]);
});
