// HTTP Basic authentication (RFC 7617): a user name and password sent with every request.
import { defineCredentialType, field } from './define';

export const basicAuth = defineCredentialType({
  type: 'basic-auth',
  title: 'Basic auth',
  description: 'A user name and password sent as HTTP Basic authentication.',
  fields: {
    user: field.text({
      label: 'User name',
      required: true,
      maxLength: 1024,
      pattern: { regex: /^[^:]*$/, message: 'cannot contain ":" (Basic auth separates user and password with it)' },
    }),
    password: field.secret({ label: 'Password', required: true }),
  },
});
