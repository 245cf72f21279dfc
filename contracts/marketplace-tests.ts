// "Verified: its tests pass" (issue 13, docs/decisions/072): test fixtures a listing version may carry, and the
// result of replaying them on this instance. A fixture is one recorded run: its trigger input, what every node with
// side effects returned (replayed, never performed), and what every other node is expected to output.

/** What a node with side effects returned in the recorded run: an output (down `port`, when not the default) or an error. */
export type RecordedOutcome =
  { output: unknown; port?: string | string[] } | { error: { message: string; code: string } };

export interface ListingTest {
  /** Unique within the version; shown in "Tests fail here: <name>: …". */
  name: string;
  /** The trigger's output (the run's trigger payload). */
  trigger: unknown;
  /** By node id: the recorded outcome of every node that has side effects (HTTP, email, agents, browser…). */
  recorded: Record<string, RecordedOutcome>;
  /** By node id: the output every node that runs for real (Set, If, Code…) produced in the recorded run. */
  expect: Record<string, unknown>;
}

export const LISTING_TEST_LIMITS = {
  /** Tests per listing version. */
  tests: 10,
  nameChars: 120,
  /** All tests of a version, serialized. */
  totalBytes: 1024 * 1024,
} as const;

/** The outcome of running a version's tests on this instance. */
export interface ListingTestResult {
  passed: boolean;
  /** How many tests ran (all of them when `passed`). */
  tests: number;
  /** The first test that failed, and why: the node and the first difference. */
  failedTest?: string;
  nodeId?: string;
  message?: string;
  /** ISO time. */
  ranAt: string;
  /** The Baton version the result was found with: a new version runs the tests again on the next view. */
  batonVersion: string;
}

/** GET …/versions/:version/tests: the version's test names and this instance's result (null without tests). */
export interface ListingTestsView {
  tests: string[];
  result: ListingTestResult | null;
  /**
   * Why the tests are not run here: they are not the publisher's as signed (unsigned, changed after signing, or the
   * version's own signature fails). `result` is then null: no badge says verified.
   */
  untrusted?: string;
  /** What the caller may do here: run the tests again (workflow.write), attach tests (and it is the publisher). */
  viewer: { canRun: boolean; canAttach: boolean };
}
