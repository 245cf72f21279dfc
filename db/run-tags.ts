// Storing run tags (contracts/run-tags.ts): `tags` holds every `key=value` a run was given (one equality finds a
// run by any of them, through the `tags` index), `tagValues` the latest value of each key, for reading. Tags are
// added with `$addToSet` and a `$set` per key, so nodes of parallel branches tagging at once lose nothing.
import { TAG_LIMITS, tagKeyProblem, tagString, tagValueText } from '../contracts/run-tags';
import { RunModel } from './runs';

/**
 * Adds tags to a stored run, skipping keys or values that are not safe tags (the activities checked them already)
 * and any beyond the run's limit. Returns how many were stored.
 */
export async function addRunTags(runId: string, tags: Record<string, string>): Promise<number> {
  const safe = Object.entries(tags).filter(
    ([k, v]) => tagKeyProblem(k) === undefined && typeof v === 'string' && tagValueText(v) === v,
  );
  if (safe.length === 0) return 0;
  const current = await RunModel.findOne({ _id: runId }, { tags: 1 }).lean();
  if (!current) return 0;
  const have = new Set(current.tags ?? []);
  const fresh = safe.filter(([k, v]) => !have.has(tagString(k, v)));
  const room = Math.max(0, TAG_LIMITS.perRun - have.size);
  const kept = fresh.slice(0, room);
  // A value already stored still becomes the key's latest value.
  const latest = [...safe.filter(([k, v]) => have.has(tagString(k, v))), ...kept];
  if (latest.length === 0) return 0;
  const set: Record<string, string> = {};
  for (const [k, v] of latest) set[`tagValues.${k}`] = v;
  await RunModel.updateOne(
    { _id: runId },
    {
      $set: set,
      ...(kept.length > 0 ? { $addToSet: { tags: { $each: kept.map(([k, v]) => tagString(k, v)) } } } : {}),
    },
  );
  return kept.length;
}
