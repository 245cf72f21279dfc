// Counts from the JSON reports of jest and Playwright, so `baton test` can print one "N passed, N failed" line.
import { existsSync, readFileSync } from 'node:fs';

export interface TestCounts {
  passed: number;
  failed: number;
}

/** A runner that exited non-zero without a failing test (a crashed setup, a missing report) still counts as one failure. */
export function countsFrom(
  name: string,
  reportFile: string,
  exitCode: number | null,
  parse: (report: any) => TestCounts,
  log: (line: string) => void,
): TestCounts {
  let counts: TestCounts = { passed: 0, failed: 0 };
  if (existsSync(reportFile)) {
    try {
      counts = parse(JSON.parse(readFileSync(reportFile, 'utf8')));
    } catch (error) {
      log(`Could not read the ${name} report ${reportFile}: ${(error as Error).message}`);
    }
  }
  if (exitCode !== 0 && counts.failed === 0) {
    log(
      `${name} exited with ${exitCode === null ? 'a signal' : `code ${exitCode}`} without a failing test; counting it as one failure.`,
    );
    counts.failed = 1;
  }
  return counts;
}

/** jest --json: suites that could not run (syntax errors, failing imports) hold no tests but are failures. */
export function parseJestReport(report: any): TestCounts {
  return {
    passed: Number(report.numPassedTests ?? 0),
    failed: Number(report.numFailedTests ?? 0) + Number(report.numRuntimeErrorTestSuites ?? 0),
  };
}

/** Playwright's json reporter: flaky tests passed on a retry; top-level errors (config, global setup) are failures. */
export function parsePlaywrightReport(report: any): TestCounts {
  const stats = report.stats ?? {};
  return {
    passed: Number(stats.expected ?? 0) + Number(stats.flaky ?? 0),
    failed: Number(stats.unexpected ?? 0) + (Array.isArray(report.errors) ? report.errors.length : 0),
  };
}
