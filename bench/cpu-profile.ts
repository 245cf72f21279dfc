// Saves a CDP CPU profile (open it in Chrome DevTools › Performance) and prints where its time went.
import { writeFileSync } from 'node:fs';

/** The part of CDP's Profiler.Profile read here. */
export interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  }>;
  samples?: number[];
  timeDeltas?: number[];
}

const SHOWN = 15;

/** Self time per function, costliest first; minified names are located by file, line and column. */
function selfTimes(profile: CpuProfile): Array<{ fn: string; ms: number }> {
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const frame = byNode.get(samples[i])?.callFrame;
    if (!frame) continue;
    const file = frame.url.split('/').pop() ?? '';
    const fn = file
      ? `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}:${frame.columnNumber + 1}`
      : frame.functionName;
    totals.set(fn, (totals.get(fn) ?? 0) + (deltas[i] ?? 0) / 1000);
  }
  return [...totals].map(([fn, ms]) => ({ fn, ms })).sort((a, b) => b.ms - a.ms);
}

export function writeProfileSummary(profile: CpuProfile, file: string, title: string): void {
  writeFileSync(file, JSON.stringify(profile));
  const rows = selfTimes(profile);
  const busy = rows.filter((r) => r.fn !== '(idle)').reduce((sum, r) => sum + r.ms, 0);
  console.log(`\nCPU profile, ${title}: ${busy.toFixed(0)} ms busy (${file})`);
  console.table(rows.slice(0, SHOWN).map((r) => ({ 'self ms': r.ms.toFixed(1), function: r.fn })));
}
