// Which iteration of each loop the run panel shows, and that iteration's steps (`GET /api/runs/:id/steps?iteration=k
// &loop=L`). Its own store rather than the document store: the run panel picks, the canvas cards read the statuses,
// and a loop's iterations are fetched one at a time, never folded into the run's top-level steps.
import { create } from 'zustand';
import type { StepInfo } from '../../../contracts/step-record';
import { apiFetch } from '../../lib/api-client';

export interface IterationLoad {
  iteration: number;
  status: 'loading' | 'ready' | 'error';
  /** The loop node's and its body's steps of that iteration, by node id. */
  steps: Record<string, StepInfo>;
  error?: string;
}

interface IterationState {
  runId: string | null;
  /** Chosen iteration by loop node id (absent: the first). */
  chosen: Record<string, number>;
  loaded: Record<string, IterationLoad>;
  choose: (runId: string, loopId: string, iteration: number) => void;
  load: (runId: string, loopId: string, iteration: number) => Promise<void>;
}

export const useIterations = create<IterationState>((set, get) => {
  /** Another run on display drops the previous one's choices and loads. */
  const forRun = (runId: string): Pick<IterationState, 'runId' | 'chosen' | 'loaded'> =>
    get().runId === runId ? get() : { runId, chosen: {}, loaded: {} };

  return {
    runId: null,
    chosen: {},
    loaded: {},
    choose(runId, loopId, iteration) {
      const state = forRun(runId);
      set({ runId, chosen: { ...state.chosen, [loopId]: iteration }, loaded: state.loaded });
    },
    async load(runId, loopId, iteration) {
      const state = forRun(runId);
      const previous = state.loaded[loopId];
      // A reload of the iteration on display keeps its steps visible meanwhile.
      const keep = previous?.iteration === iteration ? previous.steps : {};
      set({
        runId,
        chosen: state.chosen,
        loaded: { ...state.loaded, [loopId]: { iteration, status: 'loading', steps: keep } },
      });
      const path = `/api/runs/${encodeURIComponent(runId)}/steps?iteration=${iteration}&loop=${encodeURIComponent(loopId)}`;
      let next: IterationLoad;
      try {
        const { steps } = await apiFetch<{ steps: StepInfo[] }>(path);
        next = { iteration, status: 'ready', steps: Object.fromEntries(steps.map((s) => [s.nodeId, s])) };
      } catch (err) {
        next = { iteration, status: 'error', steps: keep, error: (err as Error).message };
      }
      // Only the answer for what is still wanted lands: a slow answer for iteration 2 must not replace 3's.
      const now = get();
      if (now.runId !== runId || now.loaded[loopId]?.iteration !== iteration) return;
      set({ loaded: { ...now.loaded, [loopId]: next } });
    },
  };
});

/** The chosen iteration's step of a body or loop node, when it is loaded for the run on display. */
export function iterationStep(
  state: Pick<IterationState, 'runId' | 'loaded'>,
  runId: string | undefined,
  loopId: string | undefined,
  nodeId: string,
): StepInfo | undefined {
  if (!runId || !loopId || state.runId !== runId) return undefined;
  return state.loaded[loopId]?.steps[nodeId];
}
