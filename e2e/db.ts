// The database of the Baton under test, for specs that seed or inspect it directly: `npm test` and
// e2e/global-setup.ts each start the app on a database of their own and say which in BATON_E2E_MONGODB_URI.
import mongoose from 'mongoose';

export async function connectE2eDatabase(): Promise<void> {
  const uri = process.env.BATON_E2E_MONGODB_URI;
  if (!uri)
    throw new Error('BATON_E2E_MONGODB_URI is not set: run the specs through `npm test` or e2e/global-setup.ts.');
  await mongoose.connect(uri);
}
