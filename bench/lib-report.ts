// Printing benchmark figures: the machine they were measured on, markdown tables, one cell for repeated measurements.
import os from 'node:os';

export const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** Figures from a busy machine are noisy: say how busy it was. */
export const machineSummary = () => `${os.cpus().length} CPUs, load average ${loadAverage()}, node ${process.version}`;

export function markdownTable(headers: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

/** One figure, or the median with the min–max range when it was measured more than once. */
export function figure(values: number[], digits: number): string {
  const known = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (known.length === 0) return 'n/a';
  const text = (v: number) => v.toFixed(digits);
  if (known.length === 1) return text(known[0]);
  const middle = known.length / 2;
  const median = known.length % 2 ? known[Math.floor(middle)] : (known[middle - 1] + known[middle]) / 2;
  return `${text(median)} (${text(known[0])}–${text(known[known.length - 1])})`;
}
