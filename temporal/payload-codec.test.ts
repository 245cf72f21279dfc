// The payload codec against the real Temporal server: a canary passed as workflow input, returned by an activity,
// and thrown in an activity's failure message reaches the rightful client intact, and appears nowhere in the
// history the server stores. Plus keys: rotation with two keys, a missing key, a tampered payload.
import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure, defaultPayloadConverter, type Payload } from '@temporalio/common';
import proto from '@temporalio/proto';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { generateVaultKey } from '../db/vault-key';
import { temporalAddress, temporalNamespace } from './client';
import {
  ENCRYPTED_ENCODING,
  encryptedDataConverter,
  FAILURE_CONVERTER_PATH,
  PayloadEncryptionCodec,
  payloadKeysFromEnv,
} from './payload-codec';

const FIXTURE = fileURLToPath(new URL('./payload-codec.fixture.ts', import.meta.url));
const env = { BATON_PAYLOAD_KEY: randomBytes(32).toString('base64') };
const dataConverter = encryptedDataConverter(env)!;

let bundle: WorkflowBundleWithSourceMap;
let connection: Connection;
let nativeConnection: NativeConnection;

beforeAll(async () => {
  bundle = await bundleWorkflowCode({
    workflowsPath: FIXTURE,
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} },
  });
  connection = await Connection.connect({ address: temporalAddress() });
  nativeConnection = await NativeConnection.connect({ address: temporalAddress() });
});

afterAll(async () => {
  await connection?.close();
  await nativeConnection?.close();
});

/** Runs `workflow` with `input` on a fresh task queue, with the encrypting converter on both sides. */
async function runEncrypted(workflow: 'codecEcho' | 'codecRefuse', input: string) {
  const taskQueue = `payload-codec-${randomUUID()}`;
  const worker = await Worker.create({
    connection: nativeConnection,
    namespace: temporalNamespace(),
    taskQueue,
    workflowBundle: bundle,
    dataConverter,
    activities: {
      echo: async (value: string) => `echo:${value}`,
      refuse: async (value: string) => {
        throw ApplicationFailure.nonRetryable(`the server answered 401 and echoed ${value}`, 'Refused', { value });
      },
    },
  });
  const client = new Client({ connection, namespace: temporalNamespace(), dataConverter });
  const workflowId = `payload-codec-${randomUUID()}`;
  const outcome = await worker.runUntil(
    client.workflow.execute(workflow, { taskQueue, workflowId, args: [input] }).then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    ),
  );
  // The history as the server stores it, read without the codec, as protobuf bytes.
  const plainClient = new Client({ connection, namespace: temporalNamespace() });
  const history = await plainClient.workflow.getHandle(workflowId).fetchHistory();
  const stored = Buffer.from(proto.temporal.api.history.v1.History.encode(history).finish());
  return { outcome, history, stored };
}

test('input and result travel encrypted and come back intact', async () => {
  const canary = `canary-${randomUUID()}`;
  const { outcome, history, stored } = await runEncrypted('codecEcho', canary);
  expect(outcome).toEqual({ value: `echo:${canary}` });
  expect(stored.includes(Buffer.from(canary))).toBe(false);
  const started = history.events![0].workflowExecutionStartedEventAttributes!;
  const encoding = Buffer.from(started.input!.payloads![0].metadata!.encoding!).toString();
  expect(encoding).toBe(ENCRYPTED_ENCODING);
});

test('an activity failure that quotes a secret reaches the client, but its history holds only ciphertext', async () => {
  const canary = `canary-${randomUUID()}`;
  const { outcome, stored } = await runEncrypted('codecRefuse', canary);
  const error = (outcome as { error: unknown }).error;
  expect(error).toBeInstanceOf(WorkflowFailedError);
  const cause = (error as WorkflowFailedError).cause?.cause as ApplicationFailure;
  expect(cause.message).toBe(`the server answered 401 and echoed ${canary}`);
  expect(cause.details).toEqual([{ value: canary }]);
  expect(stored.includes(Buffer.from(canary))).toBe(false);
  expect(stored.includes(Buffer.from('the server answered 401'))).toBe(false);
});

describe('keys', () => {
  const payload = (value: unknown): Payload => defaultPayloadConverter.toPayload(value);

  test('a second key still decrypts what the first wrote, so the key can be rotated', async () => {
    const [oldKey, newKey] = [generateVaultKey(), generateVaultKey()];
    const written = await new PayloadEncryptionCodec([oldKey]).encode([payload({ n: 1 })]);
    const [read] = await new PayloadEncryptionCodec([newKey, oldKey]).decode(written);
    expect(defaultPayloadConverter.fromPayload(read)).toEqual({ n: 1 });
    const [rewritten] = await new PayloadEncryptionCodec([newKey, oldKey]).encode([payload({ n: 2 })]);
    expect(Buffer.from(rewritten.metadata!['encryption-key-id']!).toString()).toBe(newKey.id);
  });

  test('a missing key, a tampered payload and a bad BATON_PAYLOAD_KEY fail saying what to do', async () => {
    const [key, other] = [generateVaultKey(), generateVaultKey()];
    const [written] = await new PayloadEncryptionCodec([key]).encode([payload('x')]);
    await expect(new PayloadEncryptionCodec([other]).decode([written])).rejects.toThrow(
      `A Temporal payload is encrypted with key ${key.id}, which BATON_PAYLOAD_KEY does not hold`,
    );
    const data = Buffer.from(written.data!);
    data[data.length - 1] ^= 1;
    await expect(new PayloadEncryptionCodec([key]).decode([{ ...written, data }])).rejects.toThrow(
      `A Temporal payload under key ${key.id} does not authenticate`,
    );
    expect(() => payloadKeysFromEnv({ BATON_PAYLOAD_KEY: `${randomBytes(32).toString('hex')},nope` })).toThrow(
      /^BATON_PAYLOAD_KEY \(key 2\) must be a 256-bit key/,
    );
  });

  test('payloads written before the key was set pass through unchanged', async () => {
    const plain = payload({ before: true });
    expect(await new PayloadEncryptionCodec([generateVaultKey()]).decode([plain])).toEqual([plain]);
    expect(encryptedDataConverter({})).toBeUndefined();
  });
});
