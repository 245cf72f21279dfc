// Baton's secret: BATON_SECRET, else one generated once into BATON_HOME/secret so that sessions and signed links
// (db/resume-links.ts) survive restarts and every web and worker process on the machine agrees on it.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

let cached: string | undefined;

export function batonHome(): string {
  return resolve(process.env.BATON_HOME || '.baton');
}

export function sessionSecret(): string {
  if (cached) return cached;
  const fromEnv = process.env.BATON_SECRET;
  if (fromEnv) {
    if (fromEnv.length < 16)
      throw new Error('BATON_SECRET must be at least 16 characters; use e.g. `openssl rand -hex 32`.');
    return (cached = fromEnv);
  }
  const file = join(batonHome(), 'secret');
  mkdirSync(batonHome(), { recursive: true });
  try {
    // `wx` fails if another process created it first; then we read theirs.
    writeFileSync(file, randomBytes(32).toString('hex'), { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const secret = readFileSync(file, 'utf8').trim();
  if (!secret) throw new Error(`Session secret file ${file} is empty; delete it so Baton can generate a new one.`);
  return (cached = secret);
}
