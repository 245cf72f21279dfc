// What a listing version's tests gave on this instance (docs/decisions/072): one document per version, keyed
// `<listing id>@<version>`, holding the result, the Baton version it was found with, and the hash of the fixtures
// it ran, so a new Baton version or new fixtures make it stale and the next view runs the tests again.
import mongoose, { Schema } from 'mongoose';
import type { ListingTestResult } from '../contracts/marketplace-tests';

interface TestResultDoc {
  _id: string;
  listingId: string;
  version: string;
  fixturesHash: string;
  passed: boolean;
  tests: number;
  failedTest?: string;
  nodeId?: string;
  message?: string;
  ranAt: Date;
  batonVersion: string;
}

const TestResultModel =
  (mongoose.models.MarketplaceTestResult as mongoose.Model<TestResultDoc>) ??
  mongoose.model<TestResultDoc>(
    'MarketplaceTestResult',
    new Schema<TestResultDoc>(
      {
        _id: String,
        listingId: { type: String, required: true, index: true },
        version: { type: String, required: true },
        fixturesHash: { type: String, required: true },
        passed: { type: Boolean, required: true },
        tests: { type: Number, required: true },
        failedTest: String,
        nodeId: String,
        message: String,
        ranAt: { type: Date, required: true },
        batonVersion: { type: String, required: true },
      },
      { collection: 'marketplace_test_results', versionKey: false },
    ),
  );

export interface StoredTestResult {
  result: ListingTestResult;
  fixturesHash: string;
}

const key = (listingId: string, version: string) => `${listingId}@${version}`;

export async function getTestResult(listingId: string, version: string): Promise<StoredTestResult | undefined> {
  const doc = (await TestResultModel.findOne({ _id: key(listingId, version) }).lean()) as TestResultDoc | null;
  if (!doc) return undefined;
  return {
    fixturesHash: doc.fixturesHash,
    result: {
      passed: doc.passed,
      tests: doc.tests,
      ...(doc.failedTest !== undefined ? { failedTest: doc.failedTest } : {}),
      ...(doc.nodeId !== undefined ? { nodeId: doc.nodeId } : {}),
      ...(doc.message !== undefined ? { message: doc.message } : {}),
      ranAt: doc.ranAt.toISOString(),
      batonVersion: doc.batonVersion,
    },
  };
}

/** Replaces the version's result (a later run wins: results only ever describe the latest run). */
export async function saveTestResult(listingId: string, version: string, stored: StoredTestResult): Promise<void> {
  const { result } = stored;
  await TestResultModel.replaceOne(
    { _id: key(listingId, version) },
    {
      listingId,
      version,
      fixturesHash: stored.fixturesHash,
      passed: result.passed,
      tests: result.tests,
      ...(result.failedTest !== undefined ? { failedTest: result.failedTest } : {}),
      ...(result.nodeId !== undefined ? { nodeId: result.nodeId } : {}),
      ...(result.message !== undefined ? { message: result.message } : {}),
      ranAt: new Date(result.ranAt),
      batonVersion: result.batonVersion,
    },
    { upsert: true },
  );
}
