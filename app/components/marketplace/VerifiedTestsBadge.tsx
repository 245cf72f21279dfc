// "Verified: its tests pass" (docs/decisions/072): whether the listing version's test fixtures pass in a dry run on
// this instance. Nothing when the version ships no tests; the first failure, naming the test and the node, when they
// fail; "Tests not signed" with the reason when they are not the publisher's as signed (they are then not run); the
// publisher may attach tests from a run. The API runs the tests on the first view after this Baton's version changed, so the first look may wait.
import { useCallback, useEffect, useState } from 'react';
import type { ListingTestResult, ListingTestsView } from '../../../contracts/marketplace-tests';
import { apiFetch } from '../../lib/api-client';
import { AttachTestsForm } from './AttachTestsForm';
import './verified-tests.css';

export interface VerifiedTestsBadgeProps {
  listingId: string;
  version: string;
  /**
   * Offer "Run tests again". The API also says whether the viewer may (the POST needs workflow.write); either
   * suffices, and the API refuses whoever may not.
   */
  canRun?: boolean;
}

type State = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'loaded'; view: ListingTestsView };

const testsUrl = (listingId: string, version: string) =>
  `/api/marketplace/listings/${encodeURIComponent(listingId)}/versions/${encodeURIComponent(version)}/tests`;

const plural = (n: number) => (n === 1 ? '1 test passes' : `${n} tests pass`);

function checkedText(result: ListingTestResult): string {
  return `Checked ${new Date(result.ranAt).toLocaleString()} on Baton ${result.batonVersion}, in a dry run with the recorded responses: nothing was sent.`;
}

export function VerifiedTestsBadge({ listingId, version, canRun = false }: VerifiedTestsBadgeProps) {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [running, setRunning] = useState(false);
  const [runError, setRunError] = useState<string | null>(null);

  useEffect(() => {
    const abort = new AbortController();
    setState({ kind: 'loading' });
    apiFetch<ListingTestsView>(testsUrl(listingId, version), { signal: abort.signal }).then(
      (view) => setState({ kind: 'loaded', view }),
      (err: Error) => {
        if (!abort.signal.aborted) setState({ kind: 'error', message: err.message });
      },
    );
    return () => abort.abort();
  }, [listingId, version]);

  const runAgain = useCallback(async () => {
    setRunning(true);
    setRunError(null);
    try {
      const view = await apiFetch<ListingTestsView>(testsUrl(listingId, version), { method: 'POST' });
      setState({ kind: 'loaded', view });
    } catch (err) {
      setRunError((err as Error).message);
    } finally {
      setRunning(false);
    }
  }, [listingId, version]);

  if (state.kind === 'loading')
    return (
      <p className="verified-tests muted" aria-busy="true" role="status">
        Checking the listing’s tests…
      </p>
    );
  if (state.kind === 'error')
    return (
      <p className="verified-tests muted" role="status">
        Could not check the listing’s tests: {state.message}
      </p>
    );
  const { result, tests, viewer, untrusted } = state.view;
  const attach = viewer.canAttach && (
    <AttachTestsForm
      listingId={listingId}
      version={version}
      onAttached={(view) => setState({ kind: 'loaded', view })}
    />
  );
  if (untrusted)
    return (
      <div className="verified-tests" role="status" aria-live="polite">
        <span className="badge failed" title="These tests were not run: nothing says they are the publisher’s.">
          <span className="dot" /> Tests not signed
        </span>
        <p className="verified-tests-failure">{untrusted}</p>
        {attach}
      </div>
    );
  // Without tests there is no badge; only the publisher is offered to attach some.
  if (tests.length === 0 || !result) return attach ? <div className="verified-tests">{attach}</div> : null;
  return (
    <div className="verified-tests" role="status" aria-live="polite">
      {result.passed ? (
        <span className="badge succeeded" title={checkedText(result)}>
          <span className="dot" /> Verified: {plural(result.tests)} on this instance
        </span>
      ) : (
        <>
          <span className="badge failed" title={checkedText(result)}>
            <span className="dot" /> Tests fail here
          </span>
          <p className="verified-tests-failure">
            {result.failedTest ? <strong>{result.failedTest}: </strong> : null}
            {result.message ?? 'the tests did not pass.'}
          </p>
        </>
      )}
      {(canRun || viewer.canRun) && (
        <button className="btn ghost small" type="button" disabled={running} onClick={() => void runAgain()}>
          {running ? 'Running tests…' : 'Run tests again'}
        </button>
      )}
      {attach}
      {runError && (
        <p className="verified-tests-failure banner error" role="alert">
          {runError}
        </p>
      )}
    </div>
  );
}
