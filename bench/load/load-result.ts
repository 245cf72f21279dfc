// What one load run measured, whichever tool generated the load.
export interface LoadOptions {
  url: string;
  /** JSON posted by every request. */
  body: string;
  connections: number;
  durationS: number;
  /** An answer slower than this counts as a timeout instead of a latency, as wrk's --timeout does. */
  timeoutS: number;
  /** Responses are also counted per window of this many seconds (the soak's stability figure). */
  windowS: number;
}

export interface LoadResult {
  tool: 'wrk' | 'node';
  /** Responses received, any status; requests still unanswered when the run ends are not counted. */
  requests: number;
  rps: number;
  /** NaN when nothing answered. */
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  /** Connect, read and write errors. */
  socketErrors: number;
  timeouts: number;
  /** Responses per window, in order; the last window may be partial. */
  windows: number[];
}
