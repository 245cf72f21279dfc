// Writes that happen once per step, however often the step is attempted: the write and a mark holding the step's
// idempotency key commit together, in one transaction of the target database (its baton_effects table). An attempt
// that finds the mark returns what the first one output instead of writing again; one whose worker died before
// COMMIT left nothing, since the database rolls back a transaction whose connection is gone. The mark is inserted
// first, so a second attempt running at the same time waits on its key until the first commits or rolls back.
import { createHash } from 'node:crypto';
import { SqlDatabaseError, type SqlSession } from './session';

const PRUNE_EVERY_MS = 60 * 60 * 1000;
const lastPruned = new Map<string, number>();

/** Creates baton_effects unless it exists; a user without CREATE rights is told how to have it made. */
async function ensureEffectsTable(session: SqlSession): Promise<void> {
  const d = session.dialect;
  const { rows } = await session.run({ sql: d.effectsTableExists, values: [] }, 1);
  if (rows[0] && Object.values(rows[0])[0]) return;
  try {
    await session.exec(d.effectsTable);
  } catch (err) {
    if (err instanceof SqlDatabaseError && err.kind === 'statement') {
      throw new SqlDatabaseError(
        `writes need the baton_effects table, which records each step's writes so a retried step does not ` +
          `apply them twice, and it could not be created (${err.message}). Have it created with: ${d.effectsTable}`,
        'statement',
        err.code,
      );
    }
    throw err;
  }
}

/**
 * Runs `work` (the step's statements) in a transaction with the step's mark, unless an earlier attempt's mark is
 * there. `target` names the database, to prune old marks at most hourly per database and process.
 */
export async function writeOnce<T>(
  session: SqlSession,
  stepKey: string,
  target: string,
  work: () => Promise<T>,
): Promise<{ result: T; repeated: boolean }> {
  await ensureEffectsTable(session);
  const d = session.dialect;
  const effectKey = createHash('sha256').update(stepKey).digest('hex');
  await session.exec(d.begin);
  let result: T;
  try {
    try {
      await session.run(
        {
          sql: `INSERT INTO baton_effects (effect_key, step_key) VALUES (${d.placeholder(1)}, ${d.placeholder(2)})`,
          values: [effectKey, stepKey],
        },
        0,
      );
    } catch (err) {
      if (!(err instanceof SqlDatabaseError && err.duplicateKey)) throw err;
      await session.exec('ROLLBACK');
      const { rows } = await session.run(
        { sql: `SELECT result FROM baton_effects WHERE effect_key = ${d.placeholder(1)}`, values: [effectKey] },
        1,
      );
      if (!rows[0]) throw new SqlDatabaseError("an earlier attempt's mark vanished while it was read", 'transient');
      return { result: JSON.parse(String(rows[0].result)) as T, repeated: true };
    }
    result = await work();
    await session.run(
      {
        sql: `UPDATE baton_effects SET result = ${d.placeholder(1)} WHERE effect_key = ${d.placeholder(2)}`,
        values: [JSON.stringify(result), effectKey],
      },
      0,
    );
    await session.exec('COMMIT');
  } catch (err) {
    await session.exec('ROLLBACK').catch(() => undefined);
    throw err;
  }
  await pruneOldMarks(session, target);
  return { result, repeated: false };
}

async function pruneOldMarks(session: SqlSession, target: string): Promise<void> {
  const last = lastPruned.get(target) ?? 0;
  if (Date.now() - last < PRUNE_EVERY_MS) return;
  lastPruned.set(target, Date.now());
  await session.exec(session.dialect.pruneEffects).catch(() => undefined); // housekeeping: the write is done
}
