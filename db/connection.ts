// The one Mongo connection of a process (web or worker). Models use mongoose's default connection.
import mongoose from 'mongoose';

let connecting: Promise<typeof mongoose> | undefined;
let connectedUri: string | undefined;

/** Connects once per process; later calls with the same URI share the first connection. */
export function connectDb(uri = process.env.MONGODB_URI): Promise<typeof mongoose> {
  if (!uri) {
    return Promise.reject(
      new Error('MONGODB_URI is not set: point it at MongoDB 7 or FerretDB, e.g. mongodb://127.0.0.1:27017/baton.'),
    );
  }
  if (connecting) {
    if (uri !== connectedUri) {
      return Promise.reject(
        new Error(
          `Already connected to ${redact(connectedUri!)}; refusing to switch to ${redact(uri)} in the same process.`,
        ),
      );
    }
    return connecting;
  }
  connectedUri = uri;
  connecting = mongoose.connect(uri, { serverSelectionTimeoutMS: 15_000 }).catch((err: unknown) => {
    connecting = undefined;
    connectedUri = undefined;
    throw new Error(`Cannot connect to Mongo at ${redact(uri)}: ${(err as Error).message}`);
  });
  return connecting;
}

export async function disconnectDb(): Promise<void> {
  connecting = undefined;
  connectedUri = undefined;
  await mongoose.disconnect();
}

/** Hides credentials in connection strings that end up in error messages. */
function redact(uri: string): string {
  return uri.replace(/\/\/[^@/]*@/, '//***@');
}
