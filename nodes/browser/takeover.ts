// Human takeover, the runner's side (docs/decisions/059): when a step fails and the node asks for a person, the live
// page goes to them through `ctx.takeover` (the inbox task and the relay live in activities/browser-takeover.ts).
// "Done" counts the step as done and the steps go on; "Give up" or no one in time fails the step as before, with the
// person's note. The minutes a node allows are for all its takeovers together, so the activity's deadline, which
// the compiler extended by them (spec.ts `peopleTimeMs`), always covers the waits.
import type { Page } from 'playwright-core';
import { scrubUrlSecrets } from '../../contracts/redaction';
import type { FileRef } from '../../contracts/file-ref';
import type { LiveSurface, NodeRunner, RunContext } from '../define';
import { NodeError } from '../errors';
import { applyInput, startScreencast } from './live';
import { DEFAULT_TAKEOVER_MINUTES, type spec } from './spec';

type Params = Parameters<NodeRunner<typeof spec.params>>[1];

/** What is left of the node's time for people in this execution. */
export interface TakeoverBudget {
  leftMs: number;
}

export function takeoverBudget(params: Params): TakeoverBudget {
  return { leftMs: params.askHuman ? (params.takeoverTimeoutMinutes ?? DEFAULT_TAKEOVER_MINUTES) * 60_000 : 0 };
}

/** The page as the relay sees it: frames out, input in. */
export function liveSurface(page: Page): LiveSurface {
  return {
    watch: (onFrame) => startScreencast(page, onFrame),
    apply: (input) => applyInput(page, input),
    url: () => scrubUrlSecrets(page.url()),
  };
}

/**
 * Asks a person to finish the step that failed with `failure`. Undefined when the node does not ask (or cannot
 * here); who finished it when they did; throws the step's error, with the person's note, when nobody did.
 */
export function handOver(
  ctx: RunContext,
  params: Params,
  page: Page,
  failure: NodeError,
  budget: TakeoverBudget,
  screenshot?: FileRef,
): Promise<{ by?: string } | undefined> {
  return handOverSurface(ctx, params, liveSurface(page), failure, budget, screenshot);
}

/** handOver for any engine: the page as a LiveSurface (the Puppeteer engine's is puppeteer/live.ts). */
export async function handOverSurface(
  ctx: RunContext,
  params: Params,
  surface: LiveSurface,
  failure: NodeError,
  budget: TakeoverBudget,
  screenshot?: FileRef,
): Promise<{ by?: string } | undefined> {
  if (!params.askHuman || !ctx.takeover) return undefined;
  if (budget.leftMs < 1_000)
    throw new NodeError(`${failure.message} (the node's time for people is used up)`, sameAs(failure));
  const [step, ...rest] = failure.message.split(': ');
  const started = Date.now();
  let ended;
  try {
    ended = await ctx.takeover({
      step,
      reason: rest.join(': '),
      approvers: params.takeoverApprovers,
      timeoutMs: budget.leftMs,
      surface,
      ...(screenshot ? { screenshot } : {}),
    });
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    throw new NodeError(`${failure.message} (no person could be asked: ${(err as Error).message})`, sameAs(failure));
  }
  budget.leftMs -= Date.now() - started;
  if (ended.outcome === 'done') {
    ctx.log.info('Browser step finished by a person', { step, by: ended.by });
    return { by: ended.by };
  }
  const why =
    ended.outcome === 'timed-out'
      ? 'nobody took it over in time'
      : `${ended.by ?? 'the person'} gave up${ended.note ? `: "${ended.note}"` : ''}`;
  throw new NodeError(`${failure.message} (${why})`, sameAs(failure));
}

const sameAs = (failure: NodeError) => ({
  code: failure.code,
  retryable: false,
  ...(failure.details ? { details: failure.details } : {}),
});
