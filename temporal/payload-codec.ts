// Encrypts every Temporal payload with AES-256-GCM under BATON_PAYLOAD_KEY (defence in depth, issue 8: even if a
// secret slipped into a workflow input, activity result or failure, Temporal's history would hold ciphertext).
// The format is the one of Temporal's encryption samples: the whole Payload protobuf encrypted, with metadata
// `encoding: binary/encrypted` and `encryption-key-id`, so Temporal's codec-server tooling can decode it.
// Wired when the key is set: the worker (temporal/worker.ts) and every client (temporal/client.ts) pass
// `encryptedDataConverter()` as their `dataConverter`, and the workflow bundle gets `FAILURE_CONVERTER_PATH`.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  METADATA_ENCODING_KEY,
  ValueError,
  type DataConverter,
  type Payload,
  type PayloadCodec,
} from '@temporalio/common';
import proto from '@temporalio/proto';
import { parseVaultKey, type VaultKey } from '../db/vault-key';

export const PAYLOAD_KEY_ENV = 'BATON_PAYLOAD_KEY';
export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const AAD = Buffer.from('baton-temporal-payload/v1');
const utf8 = (bytes: Uint8Array | null | undefined) => (bytes ? Buffer.from(bytes).toString('utf8') : undefined);

/**
 * Encrypts with the first key and decrypts with any of them, so a key can be rotated while histories written under
 * the previous one are still read: `BATON_PAYLOAD_KEY=<new>,<old>`.
 */
export class PayloadEncryptionCodec implements PayloadCodec {
  private readonly byId: Map<string, VaultKey>;

  constructor(private readonly keys: readonly [VaultKey, ...VaultKey[]]) {
    this.byId = new Map(keys.map((k) => [k.id, k]));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const [key] = this.keys;
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key.key, iv);
      cipher.setAAD(AAD);
      const plain = proto.temporal.api.common.v1.Payload.encode(payload).finish();
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return {
        metadata: {
          [METADATA_ENCODING_KEY]: Buffer.from(ENCRYPTED_ENCODING),
          [KEY_ID_METADATA]: Buffer.from(key.id),
        },
        data: Buffer.concat([iv, body, cipher.getAuthTag()]),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (utf8(payload.metadata?.[METADATA_ENCODING_KEY]) !== ENCRYPTED_ENCODING) return payload;
      const id = utf8(payload.metadata?.[KEY_ID_METADATA]) ?? '(none)';
      const key = this.byId.get(id);
      if (!key) {
        throw new ValueError(
          `A Temporal payload is encrypted with key ${id}, which ${PAYLOAD_KEY_ENV} does not hold; add that key ` +
            'after the current one (comma separated) in every web and worker process.',
        );
      }
      const data = Buffer.from(payload.data ?? []);
      let plain: Buffer;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key.key, data.subarray(0, IV_BYTES));
        decipher.setAAD(AAD);
        decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
        plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      } catch {
        throw new ValueError(`A Temporal payload under key ${id} does not authenticate: it was altered or truncated.`);
      }
      return proto.temporal.api.common.v1.Payload.decode(plain) as Payload;
    });
  }
}

/** The keys of BATON_PAYLOAD_KEY (comma separated, current first), or undefined when it is not set. */
export function payloadKeysFromEnv(env: Record<string, string | undefined> = process.env) {
  const text = env[PAYLOAD_KEY_ENV]?.trim();
  if (!text) return undefined;
  const keys = text.split(',').map((part, i) => parseVaultKey(part, `${PAYLOAD_KEY_ENV} (key ${i + 1})`));
  return keys as [VaultKey, ...VaultKey[]];
}

/** Give to `bundleWorkflowCode` as `failureConverterPath` too: workflow code converts its own failures. */
export const FAILURE_CONVERTER_PATH = fileURLToPath(new URL('./encoded-failures.cjs', import.meta.url));

/**
 * The data converter for the worker and every client: payloads encrypted, and failure messages and stack traces
 * moved into an (encrypted) payload too, where Temporal otherwise keeps them in clear. Undefined without a key.
 */
export function encryptedDataConverter(
  env: Record<string, string | undefined> = process.env,
): DataConverter | undefined {
  const keys = payloadKeysFromEnv(env);
  if (!keys) return undefined;
  return { payloadCodecs: [new PayloadEncryptionCodec(keys)], failureConverterPath: FAILURE_CONVERTER_PATH };
}
