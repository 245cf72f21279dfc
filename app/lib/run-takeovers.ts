// The run page's "waiting for a person" banner (docs/decisions/059): a run's open takeover tasks, reduced to what the
// banner shows and links. Pure, so the page's loader, GET /api/runs/:id/takeovers and the banner share one shape.
import type { TakeoverTask } from '../../contracts/browser-takeover';

export interface WaitingTakeover {
  id: string;
  nodeName: string;
  step: string;
}

export function waitingForPeople(tasks: TakeoverTask[]): WaitingTakeover[] {
  return tasks.filter((t) => t.status === 'open').map((t) => ({ id: t.id, nodeName: t.nodeName, step: t.step }));
}
