// What a Loop over items collected, a part at a time: each write of finished iterations also stores their results
// here, numbered 0, 1, … per loop, so that the loop's end reads one document per part by `_id` instead of one step
// record per iteration (on FerretDB a read of a run's steps by anything but `_id` scans the collection).
import mongoose, { Schema } from 'mongoose';
import { mapLimit } from '../contracts/map-limit';

interface LoopResultsDoc {
  _id: string; // partKey(runId, nodeId, part)
  runId: string;
  /** The part's finished iterations as JSON text, or the JSON of a blob reference to that text when it is large. */
  json: string;
  createdAt: Date;
}

const LoopResultsModel =
  (mongoose.models.LoopResults as mongoose.Model<LoopResultsDoc>) ??
  mongoose.model<LoopResultsDoc>(
    'LoopResults',
    new Schema<LoopResultsDoc>(
      {
        _id: { type: String, required: true },
        runId: { type: String, required: true },
        json: { type: String, required: true },
        createdAt: { type: Date, required: true },
      },
      { versionKey: false, collection: 'loop_results' },
    ).index({ runId: 1 }),
  );

function partKey(runId: string, nodeId: string, part: number): string {
  return JSON.stringify([runId, nodeId, part]);
}

/** Stores part `part` of a loop's results; writing a part again (a retried write) replaces it. */
export async function saveLoopResults(runId: string, nodeId: string, part: number, json: string): Promise<void> {
  const _id = partKey(runId, nodeId, part);
  await LoopResultsModel.replaceOne({ _id }, { _id, runId, json, createdAt: new Date() }, { upsert: true });
}

/** The stored text of parts 0 … parts - 1, in order; a missing part is an error that names it. */
export async function readLoopResults(runId: string, nodeId: string, parts: number): Promise<string[]> {
  const numbers = Array.from({ length: parts }, (_, part) => part);
  const docs = await mapLimit(numbers, 8, (part) =>
    LoopResultsModel.findOne({ _id: partKey(runId, nodeId, part) }).lean(),
  );
  return docs.map((doc, part) => {
    if (!doc)
      throw new Error(`Loop "${nodeId}" of run ${runId}: part ${part} of its results is missing from the store`);
    return doc.json;
  });
}

/** Retention: the parts of these runs' loops. */
export async function deleteLoopResultsOfRuns(runIds: string[]): Promise<number> {
  if (runIds.length === 0) return 0;
  // One equality per run rather than `$in`, which FerretDB evaluates over the whole collection.
  const result = await LoopResultsModel.bulkWrite(
    runIds.map((runId) => ({ deleteMany: { filter: { runId } } })),
    { ordered: false },
  );
  return result.deletedCount;
}
