// The shared password of a hosted form (nodes/form-trigger): kept here, encrypted at rest, rather than in the
// node's params, which every editor of the workflow reads and every published version copies (decision 049).
import { defineCredentialType, field } from './define';

export const formPassword = defineCredentialType({
  type: 'form-password',
  title: 'Form password',
  description: 'A password people type to open a hosted form. Change it here to change it for every form using it.',
  fields: {
    password: field.secret({ label: 'Password', required: true, maxLength: 1024 }),
  },
});
