// Benchmark knobs from the environment, checked so that a typo fails loudly instead of measuring something else.

export function envNumber(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name}=${text} is not a number ≥ 0.`);
  return value;
}

export function envList(name: string, fallback: string): string[] {
  return (process.env[name] || fallback)
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

export function envNumbers(name: string, fallback: string): number[] {
  return envList(name, fallback).map((item) => {
    const value = Number(item.replace(/_/g, ''));
    if (!Number.isInteger(value) || value < 0) throw new Error(`${name}: "${item}" is not a whole number ≥ 0.`);
    return value;
  });
}
