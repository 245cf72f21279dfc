// Time-limited leases, so that periodic jobs every worker process schedules (reconciling runs, retention)
// run in one process at a time. A holder that dies simply stops renewing, and another takes over once the
// lease expires. Keyed by `_id`, the one query FerretDB answers without a scan.
import mongoose, { Schema } from 'mongoose';
import { isDuplicateKey } from './duplicate-key';

interface LeaseDoc {
  _id: string;
  holder: string;
  expiresAt: Date;
}

const LeaseModel =
  (mongoose.models.Lease as mongoose.Model<LeaseDoc>) ??
  mongoose.model<LeaseDoc>(
    'Lease',
    new Schema<LeaseDoc>(
      { _id: { type: String, required: true }, holder: { type: String, required: true }, expiresAt: Date },
      { collection: 'leases', versionKey: false },
    ),
  );

/** Takes or renews the lease `name` for `holder` until now + `ttlMs`; false while another holder has it. */
export async function acquireLease(name: string, holder: string, ttlMs: number, now = new Date()): Promise<boolean> {
  try {
    await LeaseModel.updateOne(
      { _id: name, $or: [{ holder }, { expiresAt: { $lt: now } }] },
      { $set: { holder, expiresAt: new Date(now.getTime() + ttlMs) } },
      { upsert: true },
    );
    return true;
  } catch (err) {
    // The filter missed an existing lease (held by someone else), so the upsert hit its `_id`.
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}
