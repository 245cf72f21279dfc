// Marks of side effects already done (an email sent), keyed by what makes them unique (the step's idempotency key,
// or an approval, approver and level). A retried step or activity reads the mark before acting again, so a worker
// that crashed after sending but before its completion reached Temporal does not send twice. The window between the
// effect and its mark stays; a Message-ID derived from the same key lets the receiving side recognise that one.
import mongoose, { Schema } from 'mongoose';
import { isDuplicateKey } from './duplicate-key';

interface EffectMarkDoc {
  _id: string;
  at: Date;
  /** What the effect returned, as JSON: the retry answers with it. */
  result: string;
}

const EffectMarkModel =
  (mongoose.models.EffectMark as mongoose.Model<EffectMarkDoc>) ??
  mongoose.model<EffectMarkDoc>(
    'EffectMark',
    new Schema<EffectMarkDoc>(
      {
        _id: { type: String, required: true },
        at: { type: Date, required: true },
        result: { type: String, required: true },
      },
      { collection: 'effect_marks', versionKey: false },
    ),
  );

/** What the effect under `key` returned when it was done, or undefined if it never was. */
export async function recallEffect(key: string): Promise<{ at: Date; result: unknown } | undefined> {
  const doc = await EffectMarkModel.findById(key).lean();
  return doc ? { at: doc.at, result: JSON.parse(doc.result) } : undefined;
}

/** Records that the effect under `key` was done; the first record wins. */
export async function recordEffect(key: string, result: unknown, at = new Date()): Promise<void> {
  try {
    await EffectMarkModel.create({ _id: key, at, result: JSON.stringify(result ?? null) });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
}

/**
 * Runs `effect` unless a mark says it was done under `key`; then answers with what it returned the first time.
 * `repeated` tells the caller which happened.
 */
export async function doOnce<T>(key: string, effect: () => Promise<T>): Promise<{ result: T; repeated: boolean }> {
  const done = await recallEffect(key);
  if (done) return { result: done.result as T, repeated: true };
  const result = await effect();
  await recordEffect(key, result);
  return { result, repeated: false };
}
