import { resolveParams } from '../../ir/params';
import { NodeError } from '../errors';
import { loadRunner } from '../runners';
import { spec } from './spec';

const scope = (input: unknown) => ({
  input,
  trigger: undefined,
  node: () => undefined,
  run: { id: 'r', workflowId: 'w' },
});

async function stop(params: Record<string, unknown>, input: unknown = {}): Promise<NodeError> {
  const resolved = await resolveParams(spec, params, scope(input));
  const run = await loadRunner('stop-and-error', 1);
  return (await run({} as never, resolved as never, input).then(
    () => {
      throw new Error('Stop and error returned instead of failing');
    },
    (err: unknown) => err,
  )) as NodeError;
}

describe('stop-and-error', () => {
  it('fails with the message, evaluated over the input, and the chosen code, never retried', async () => {
    const err = await stop({ message: 'Employee {{ $input.id }} has no start date', code: 'missing-start' }, { id: 7 });
    expect(err).toBeInstanceOf(NodeError);
    expect(err.message).toBe('Employee 7 has no start date');
    expect(err.code).toBe('missing-start');
    expect(err.retryable).toBe(false);
  });

  it('uses the default code, and refuses an expression that gives no message', async () => {
    expect((await stop({ message: 'Refused' })).code).toBe('stopped');
    await expect(stop({ message: '{{ $input.reason }}' }, { reason: '' })).rejects.toThrow(/Param "message"/);
  });

  it("refuses a malformed code and Baton's own codes, naming the param", async () => {
    await expect(stop({ message: 'x', code: 'has spaces' })).rejects.toThrow(/Param "code".*letters, digits/);
    await expect(stop({ message: 'x', code: 'Cancelled' })).rejects.toThrow(/Param "code".*Baton's own error codes/);
    await expect(stop({ message: '' })).rejects.toThrow(/Param "message"/);
  });
});
