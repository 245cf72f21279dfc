// Compiled execution plans, stored once per content hash; a run pins the hash it started with.
import mongoose, { Schema } from 'mongoose';
import type { Plan } from '../ir/types';

// `_id` is the hash: on FerretDB only a bare string `_id` filter is evaluated inside SQLite.
interface PlanDoc {
  _id: string;
  hash: string;
  workflowId: string;
  name: string;
  json: string; // the whole plan, serialized: params are user data
  createdAt: Date;
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
      },
      { collection: 'plans', versionKey: false },
    ),
  );

/** Idempotent: the same hash always holds the same plan, so a second save is a no-op. */
export async function savePlan(plan: Plan): Promise<void> {
  await PlanModel.updateOne(
    { _id: plan.hash },
    {
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

// Two processes saving the same new plan at once: one insert wins, the other's content is identical.
function ignoreDuplicateKey(err: unknown): void {
  if ((err as { code?: number }).code !== 11000) throw err;
}
