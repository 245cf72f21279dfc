// A token sent as `Authorization: Bearer …` (RFC 6750) with every request.
import { defineCredentialType, field } from './define';

export const bearerToken = defineCredentialType({
  type: 'bearer-token',
  title: 'Bearer token',
  description: 'A token sent in the Authorization header as "Bearer <token>".',
  fields: {
    token: field.secret({ label: 'Token', required: true, maxLength: 8192 }),
  },
});
