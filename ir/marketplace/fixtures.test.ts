// Listing test fixtures, pure: shape and caps refused naming the test and field, recordings and expectations checked
// against the plan (side effects recorded, pure nodes expected), which nodes replay, and the first difference.
import { MarketplaceError } from '../../contracts/marketplace';
import { LISTING_TEST_LIMITS, type ListingTest } from '../../contracts/marketplace-tests';
import { registry } from '../../nodes/index';
import { compileOrThrow, workflowDoc } from '../../test/run-harness';
import { checkedTests, firstDifference, listingPlan, replayKind } from './fixtures';
import { listingGraphOf } from './manifest';

const doc = workflowDoc(
  [
    { id: 'start', type: 'manual-trigger' },
    { id: 'call', type: 'http-request', params: { url: 'http://127.0.0.1:9/never' } },
    { id: 'shape', type: 'set-fields', params: { fields: { ok: '{{ $input.body.ok }}' }, keepInput: false } },
  ],
  [
    ['start', 'call'],
    ['call', 'shape'],
  ],
);
const plan = compileOrThrow(doc);
const test = (over: Partial<ListingTest> = {}): ListingTest => ({
  name: 'happy path',
  trigger: {},
  recorded: { call: { output: { status: 200, body: { ok: true } } } },
  expect: { shape: { ok: true } },
  ...over,
});
const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (err instanceof MarketplaceError) return err.message;
    throw err;
  }
  throw new Error('expected a refusal');
};

describe('replayKind', () => {
  it('runs control and pure nodes for real and replays everything that reaches the outside world', () => {
    const kind = (type: string) => replayKind(registry.latest(type)!);
    expect(['if', 'switch', 'merge', 'set-fields', 'code', 'filter', 'sort', 'delay'].map(kind)).toEqual(
      Array(8).fill('real'),
    );
    expect(['http-request', 'send-email', 'agent', 'llm', 'browser', 'approval', 'loop-over-items'].map(kind)).toEqual(
      Array(7).fill('recorded'),
    );
    expect(kind('manual-trigger')).toBe('trigger');
  });
});

describe('checkedTests', () => {
  it('accepts well-formed tests that match the plan', () => {
    expect(checkedTests([test()], plan)).toEqual([test()]);
  });

  it('refuses bad shapes naming the test index and field', () => {
    expect(refusal(() => checkedTests([{ ...test(), name: '' }]))).toMatch(/Listing tests\[0\]\.name/);
    expect(refusal(() => checkedTests([{ ...test(), recorded: { call: { nope: 1 } } }]))).toMatch(
      /\[0\]\.recorded\.call/,
    );
    expect(refusal(() => checkedTests([test(), test()]))).toMatch(/Two listing tests are named "happy path"/);
    const many = Array.from({ length: LISTING_TEST_LIMITS.tests + 1 }, (_, i) => test({ name: `t${i}` }));
    expect(refusal(() => checkedTests(many))).toMatch(/Listing tests: Array must contain at most 10/);
  });

  it('refuses more than the size cap naming the largest part', () => {
    const big = 'x'.repeat(LISTING_TEST_LIMITS.totalBytes);
    const message = refusal(() =>
      checkedTests([test({ recorded: { call: { output: { status: 200, body: { big } } } } })]),
    );
    expect(message).toMatch(/The listing's tests are 1\.0 MB; the limit is 1\.0 MB/);
    expect(message).toContain(`test "happy path": node call's recorded outcome`);
  });

  it('refuses a recording of a pure node, an expectation of a side effect, and unknown nodes', () => {
    expect(refusal(() => checkedTests([test({ recorded: { shape: { output: {} } } })], plan))).toBe(
      'Listing test "happy path": recorded["shape"]: node "shape" has no side effects and runs for real; remove its recording.',
    );
    expect(refusal(() => checkedTests([test({ expect: { call: {} } })], plan))).toMatch(
      /expect\["call"\]: node "call" does not run for real/,
    );
    expect(refusal(() => checkedTests([test({ expect: { ghost: 1 } })], plan))).toMatch(
      /expect\["ghost"\]: the graph has no such node/,
    );
  });
});

describe('listingPlan', () => {
  it('compiles a listing graph whose credentials were emptied', () => {
    const withCredential = workflowDoc(
      [
        { id: 'start', type: 'manual-trigger' },
        {
          id: 'mail',
          type: 'send-email',
          params: {
            credential: 'cred_11111111-2222-3333-4444-555555555555',
            to: 'a@example.com',
            subject: 'Hi',
            text: 'Hello',
          },
        },
      ],
      [['start', 'mail']],
    );
    const graph = listingGraphOf(withCredential);
    expect(graph.nodes[1].params.credential).toBe('');
    const compiled = listingPlan(graph, { listingId: 'lst_1', title: 'Mailer' });
    expect(Object.keys(compiled.nodes).sort()).toEqual(['mail', 'start']);
  });

  it('says why a graph does not compile here', () => {
    const graph = listingGraphOf(doc);
    graph.nodes[2] = { ...graph.nodes[2], type: 'no-such-node' };
    expect(refusal(() => listingPlan(graph, { listingId: 'lst_1', title: 'Broken' }))).toMatch(
      /^The listed graph does not compile on this Baton: node shape: .*no-such-node/,
    );
  });
});

describe('firstDifference', () => {
  it('is undefined for equal values whatever the key order', () => {
    expect(firstDifference({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBeUndefined();
  });

  it('names the path of the first difference', () => {
    expect(firstDifference({ items: [{ name: 'Ada' }] }, { items: [{ name: 'Bob' }] })).toBe(
      'at items[0].name: expected "Ada", got "Bob"',
    );
    expect(firstDifference({ a: 1 }, { a: 1, b: 2 })).toBe('at b: expected nothing, got 2');
    expect(firstDifference([1, 2], [1])).toBe('at the top: expected 2 items, got 1');
    expect(firstDifference('x', 3)).toBe('at the top: expected "x", got 3');
  });
});
