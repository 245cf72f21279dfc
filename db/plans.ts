// Compiled execution plans, stored once per content hash; a run pins the hash it started with.
import mongoose, { Schema } from 'mongoose';
import type { Plan } from '../ir/types';
import { isDuplicateKey } from './duplicate-key';

// `_id` is the hash: on FerretDB only a bare string `_id` filter is evaluated inside SQLite.
interface PlanDoc {
  _id: string;
  hash: string;
  workflowId: string;
  name: string;
  json: string; // the whole plan, serialized: params are user data
  createdAt: Date;
  /** Last time a run was about to pin it: retention spares plans used this recently (see `deleteIdlePlan`). */
  usedAt?: Date;
}

const PlanModel =
  (mongoose.models.Plan as mongoose.Model<PlanDoc>) ??
  mongoose.model<PlanDoc>(
    'Plan',
    new Schema<PlanDoc>(
      {
        _id: { type: String, required: true },
        hash: { type: String, required: true, unique: true },
        workflowId: { type: String, required: true, index: true },
        name: { type: String, required: true },
        json: { type: String, required: true },
        createdAt: { type: Date, required: true },
        usedAt: Date,
      },
      { collection: 'plans', versionKey: false },
    ),
  );

/** Idempotent: the same hash always holds the same plan, so a second save only marks it used. */
export async function savePlan(plan: Plan): Promise<void> {
  await PlanModel.updateOne(
    { _id: plan.hash },
    {
      $set: { usedAt: new Date() },
      $setOnInsert: {
        hash: plan.hash,
        workflowId: plan.workflowId,
        name: plan.name,
        json: JSON.stringify(plan),
        createdAt: new Date(),
      },
    },
    { upsert: true },
  ).catch(ignoreDuplicateKey);
}

export async function getPlan(hash: string): Promise<Plan | undefined> {
  const doc = await PlanModel.findOne({ _id: hash }, { json: 1 }).lean();
  return doc ? (JSON.parse(doc.json) as Plan) : undefined;
}

/**
 * Retention: deletes the plan unless it was saved for a run since `idleSince`. The caller has checked that
 * no run or published version refers to it; the grace covers a run being launched right now, whose
 * record is written just after its plan.
 */
export async function deleteIdlePlan(hash: string, idleSince: Date): Promise<boolean> {
  const { deletedCount } = await PlanModel.deleteOne({
    _id: hash,
    $or: [{ usedAt: { $lt: idleSince } }, { usedAt: { $exists: false }, createdAt: { $lt: idleSince } }],
  });
  return deletedCount > 0;
}

// Two processes saving the same new plan at once: one insert wins, the other's content is identical.
function ignoreDuplicateKey(err: unknown): void {
  if (!isDuplicateKey(err)) throw err;
}
