// One header sent with every request, for APIs that take a key in a header of their own (`X-API-Key: …`).
import { defineCredentialType, field } from './define';

/** RFC 9110 token characters. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export const httpHeaderAuth = defineCredentialType({
  type: 'http-header-auth',
  title: 'Header auth',
  description: 'An HTTP header sent with every request, such as X-API-Key.',
  fields: {
    name: field.text({
      label: 'Header name',
      placeholder: 'X-API-Key',
      required: true,
      maxLength: 256,
      pattern: { regex: HEADER_NAME, message: 'must be a header name (letters, digits and -)' },
    }),
    value: field.secret({ label: 'Header value', required: true, maxLength: 8192 }),
  },
});
