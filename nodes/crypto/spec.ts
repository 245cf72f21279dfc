// Hashes, signs (HMAC) or generates random values. uuid and random bytes are not reproducible, so the node is not
// pure; running it again is harmless, so it joins chains of pure nodes (localWhen). Runs node:crypto in run.ts;
// this file stays free of Node built-ins because the workflow bundle imports the registry.
import { z } from 'zod';
import { defineNode, param } from '../define';
import { fieldPathProblem } from '../set-fields/apply';

export const OPERATIONS = ['hash', 'hmac', 'uuid', 'randomBytes'] as const;
export type CryptoOperation = (typeof OPERATIONS)[number];
export const ALGORITHMS = ['md5', 'sha1', 'sha256', 'sha384', 'sha512'] as const;
export const ENCODINGS = ['hex', 'base64', 'base64url'] as const;
export const MAX_RANDOM_BYTES = 1024;

/** Where each operation's result goes when Output field is empty. */
export const DEFAULT_FIELDS: Record<CryptoOperation, string> = {
  hash: 'hash',
  hmac: 'hmac',
  uuid: 'uuid',
  randomBytes: 'random',
};

const outputField = param.text({
  label: 'Output field',
  description: 'Where the result goes in the input object (dotted paths nest). Empty: hash, hmac, uuid or random.',
  placeholder: 'hash',
  default: '',
  maxLength: 256,
});

export const spec = defineNode({
  type: 'crypto',
  version: 1,
  title: 'Crypto',
  description: 'Hash or sign a value (HMAC), or generate a UUID or random bytes.',
  category: 'core',
  icon: 'lock',
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [{ id: 'out', label: 'Output' }],
  params: {
    operation: param.select({
      label: 'Operation',
      placeholder: 'hash',
      values: OPERATIONS,
      options: [
        { value: 'hash', label: 'Hash' },
        { value: 'hmac', label: 'HMAC signature' },
        { value: 'uuid', label: 'UUID (v4)' },
        { value: 'randomBytes', label: 'Random bytes' },
      ],
      default: 'hash',
      expression: false,
    }),
    algorithm: param.select({
      label: 'Algorithm',
      description: 'MD5 and SHA-1 only for checksums and legacy APIs: they are broken for security.',
      placeholder: 'sha256',
      values: ALGORITHMS,
      options: [
        { value: 'md5', label: 'MD5' },
        { value: 'sha1', label: 'SHA-1' },
        { value: 'sha256', label: 'SHA-256' },
        { value: 'sha384', label: 'SHA-384' },
        { value: 'sha512', label: 'SHA-512' },
      ],
      default: 'sha256',
      expression: false,
      showWhen: { param: 'operation', oneOf: ['hash', 'hmac'] },
    }),
    value: param.anyValue({
      label: 'Value',
      description:
        'Text is hashed as UTF-8. Anything else as canonical JSON (keys sorted, no spaces), so equal data hashes equally.',
      placeholder: '{{ $input.email }}',
      showWhen: { param: 'operation', oneOf: ['hash', 'hmac'] },
    }),
    key: param.text({
      label: 'Key',
      description:
        'The HMAC secret, as UTF-8 text. Saved with the workflow and its plans: prefer an expression that reads ' +
        'it from the trigger or an earlier node.',
      placeholder: '{{ $node("Signing key").secret }}',
      maxLength: 1024,
      showWhen: { param: 'operation', oneOf: ['hmac'] },
    }),
    encoding: param.select({
      label: 'Output encoding',
      placeholder: 'hex',
      values: ENCODINGS,
      options: [
        { value: 'hex', label: 'Hex' },
        { value: 'base64', label: 'Base64' },
        { value: 'base64url', label: 'Base64 (URL-safe)' },
      ],
      default: 'hex',
      expression: false,
      showWhen: { param: 'operation', oneOf: ['hash', 'hmac', 'randomBytes'] },
    }),
    length: param.number({
      label: 'Length (bytes)',
      placeholder: '32',
      int: true,
      min: 1,
      max: MAX_RANDOM_BYTES,
      default: 32,
      showWhen: { param: 'operation', oneOf: ['randomBytes'] },
    }),
    outputField: {
      ...outputField,
      schema: outputField.schema.superRefine((name, ctx) => {
        const problem = name === '' ? undefined : fieldPathProblem(name);
        if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
      }),
    },
  },
  runtime: { kind: 'activity', taskQueue: 'default', localWhen: () => true },
});
