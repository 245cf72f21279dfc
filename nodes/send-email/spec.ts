// Sends an email over SMTP: the picked SMTP credential, or the instance's mail server (BATON_SMTP_URL). A retried step
// does not send twice: the first attempt leaves a sent-mark, and the Message-ID derives from the step's key.
import { defineNode, param, type ParamProblem } from '../define';
import { addressList, MailFieldError } from './message';

const ADDRESS_PARAMS = [
  ['from', 'From'],
  ['to', 'To'],
  ['cc', 'CC'],
  ['bcc', 'BCC'],
  ['replyTo', 'Reply to'],
] as const;

/** Addresses written as literals are checked when the workflow is saved; expressions once resolved, at run time. */
function checkLiteralAddresses(params: Record<string, unknown>): ParamProblem[] {
  const problems: ParamProblem[] = [];
  for (const [key, label] of ADDRESS_PARAMS) {
    const value = params[key];
    if (value === undefined || JSON.stringify(value).includes('{{')) continue;
    try {
      addressList(label, value);
    } catch (err) {
      if (!(err instanceof MailFieldError)) throw err;
      problems.push({ path: [key], message: `Param "${key}": ${err.message}` });
    }
  }
  return problems;
}

export const spec = defineNode({
  type: 'send-email',
  version: 1,
  title: 'Send email',
  description: 'Send an email with text and/or HTML bodies and attachments; outputs the message id and recipients.',
  category: 'integration',
  icon: 'mail',
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [{ id: 'out', label: 'Sent' }],
  params: {
    credential: param.credential({
      label: 'SMTP credential',
      description: "The mail server to send through. None: this Baton's own mail server, if an administrator set one.",
      placeholder: "This Baton's mail server",
      types: ['smtp'],
    }),
    from: param.text({
      label: 'From',
      description: "The sender. Empty: the credential's From, else this Baton's sender.",
      placeholder: 'HR <hr@acme.com>',
      maxLength: 1024,
    }),
    to: param.anyValue({
      label: 'To',
      description: 'Addresses separated by commas, or a list of addresses or { name, address } objects.',
      placeholder: '{{ $input.email }}',
      required: true,
      maxLength: 64 * 1024,
    }),
    cc: param.anyValue({ label: 'CC', placeholder: 'manager@acme.com', maxLength: 64 * 1024 }),
    bcc: param.anyValue({ label: 'BCC', placeholder: 'archive@acme.com', maxLength: 64 * 1024 }),
    replyTo: param.anyValue({ label: 'Reply to', placeholder: 'hr@acme.com', maxLength: 4 * 1024 }),
    subject: param.text({
      label: 'Subject',
      placeholder: 'Welcome, {{ $input.name }}!',
      required: true,
      maxLength: 998,
    }),
    text: param.textarea({ label: 'Text body', placeholder: 'Hello {{ $input.name }}, …' }),
    html: param.textarea({ label: 'HTML body', placeholder: '<p>Hello {{ $input.name }}, …</p>' }),
    attachments: param.anyValue({
      label: 'Attachments',
      description:
        'A file from an upstream node ({{ $node("Offer letter").file }}), or a list of files, { file, filename? } and { filename, content, encoding?: "base64" | "utf8", contentType? }; 20 MB in all.',
      placeholder: '{{ [$node("Offer letter").file, $node("Offer PDF").file] }}',
      maxLength: 30 * 1024 * 1024,
    }),
  },
  check: checkLiteralAddresses,
  runtime: { kind: 'activity', taskQueue: 'default' },
  // SMTP timeouts are 30 s per phase (connect, greeting, each reply); a big attachment takes a while to upload.
  policy: { timeoutMs: 180_000 },
});
