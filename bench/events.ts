// Live events on the Mongo-protocol server: what a worker process pays to emit them and a web process to relay
// them, as the event log grows (docs/decisions/010-live-events-through-mongo.md).
//   npx tsx bench/events.ts
//   BENCH_EVENTS_STORED=0,10000,100000  events in the log before each measurement
//   BENCH_EVENTS_EMITS=3000             events emitted per measurement, by BENCH_EVENTS_CONCURRENCY=16 activities
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import mongoose from 'mongoose';
import type { RunEvent } from '../contracts/live-events';
import { connectDb, disconnectDb } from '../db/connection';
import { createEventWriter, deleteEventsOfRuns, listRunEvents, openEventFeed, pruneEvents } from '../db/events';
import { cpuMsByRole } from './lib-process-cpu';
import { figure, markdownTable } from './lib-report';
import { envNumber, envNumbers } from './lib-settings';
import { ensureServices } from './services';

const STORED = envNumbers('BENCH_EVENTS_STORED', '0,10000,100000');
const EMITS = envNumber('BENCH_EVENTS_EMITS', 3000);
const CONCURRENCY = envNumber('BENCH_EVENTS_CONCURRENCY', 16);
const POLL_EVERY_MS = 200; // the relay's interval while a browser is connected

const event = (runId: string, i: number): RunEvent => ({
  kind: 'step',
  runId,
  workflowId: 'bench',
  nodeId: `node-${i}`,
  nodeName: `Set field ${i}`,
  status: i % 2 ? 'succeeded' : 'running',
  attempt: 1,
  at: new Date().toISOString(),
  ...(i % 2 ? { durationMs: 3 } : {}),
});

/** `count` events from `concurrency` activities, each emitting for its own run one event after the other. */
async function emit(count: number, concurrency: number, tag: string): Promise<number[]> {
  const writer = createEventWriter(mongoose.connection);
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, a) => {
      for (let i = next++; i < count; i = next++) {
        const started = performance.now();
        await writer.append(event(`${tag}-${a}`, i));
        latencies.push(performance.now() - started);
      }
    }),
  );
  return latencies;
}

/** The Mongo-protocol server's process, found by the port it listens on, to charge its CPU to the events. */
function databasePid(uri: string): number | undefined {
  const port = new URL(uri).port || '27017';
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (/(^|\/)(ferretdb|mongod)$/.test(args[0]) && args.some((a) => a.endsWith(`:${port}`))) return Number(entry);
    } catch {
      // The process exited while the list was read.
    }
  }
  return undefined;
}

const quantile = (values: number[], q: number) =>
  [...values].sort((a, b) => a - b)[Math.floor(q * (values.length - 1))];

async function measure(stored: number, dbPid: number | undefined): Promise<string[]> {
  const feed = openEventFeed();
  await feed.poll(); // registered: the writer created next delivers to it
  const polls: number[] = [];
  let delivered = 0;
  let emitting = true;
  const relay = (async () => {
    while (emitting) {
      const started = performance.now();
      delivered += (await feed.poll()).length;
      polls.push(performance.now() - started);
      await sleep(POLL_EVERY_MS);
    }
    for (let n = -1; n !== 0; delivered += n) n = (await feed.poll()).length;
  })();

  const recordsBefore = await mongoose.connection.db!.collection('events').estimatedDocumentCount();
  const cpuBefore = cpuMsByRole(dbPid ? [dbPid, process.pid] : [process.pid]);
  const started = performance.now();
  const latencies = await emit(EMITS, CONCURRENCY, `measured-${stored}`);
  const seconds = (performance.now() - started) / 1000;
  emitting = false;
  await relay;
  const cpuAfter = cpuMsByRole(dbPid ? [dbPid, process.pid] : [process.pid]);
  const records = (await mongoose.connection.db!.collection('events').estimatedDocumentCount()) - recordsBefore;

  const idle: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t = performance.now();
    await feed.poll();
    idle.push(performance.now() - t);
  }
  await feed.close();
  const timed = async (work: () => Promise<unknown>) => {
    const t = performance.now();
    await work();
    return performance.now() - t;
  };
  const pruneMs = await timed(() => pruneEvents(new Date(0))); // the check housekeeping makes every minute
  const listMs = await timed(() => listRunEvents(`measured-${stored}-0`));
  const deleteMs = await timed(() => deleteEventsOfRuns(['no-such-run'])); // what retention pays per batch of runs

  const cpuPerEvent = (role: 'db' | 'launcher') => (cpuAfter[role] - cpuBefore[role]) / EMITS;
  return [
    String(stored),
    (EMITS / seconds).toFixed(0),
    `${delivered}/${EMITS}`,
    String(records),
    `${figure([quantile(latencies, 0.5)], 1)} / ${figure([quantile(latencies, 0.95)], 1)}`,
    `${figure([quantile(polls, 0.5)], 1)} / ${figure([Math.max(...polls)], 1)}`,
    figure(idle, 1),
    dbPid ? cpuPerEvent('db').toFixed(2) : 'n/a',
    cpuPerEvent('launcher').toFixed(2),
    pruneMs.toFixed(1),
    listMs.toFixed(0),
    deleteMs.toFixed(0),
  ];
}

async function main(): Promise<void> {
  const stopServices = await ensureServices();
  const uri = new URL(process.env.MONGODB_URI!);
  uri.pathname = '/baton_bench_events';
  await connectDb(uri.toString());
  await mongoose.connection.db!.dropDatabase(); // the benchmark's own database: start from an empty log
  const dbPid = databasePid(uri.toString());

  const rows: string[][] = [];
  let inLog = 0;
  for (const stored of STORED) {
    if (stored > inLog) {
      console.log(`Filling the log to ${stored} events…`);
      await emit(stored - inLog, 64, `filler-${stored}`); // no reader registered: log records only
      inLog = stored;
    }
    rows.push(await measure(stored, dbPid));
    inLog += EMITS;
  }
  console.log(
    `\n${EMITS} step events per row from ${CONCURRENCY} concurrent activities through one writer, one reader polling ` +
      `every ${POLL_EVERY_MS} ms.\n`,
  );
  console.log(
    markdownTable(
      [
        'events in log',
        'emits/s',
        'delivered',
        'log records',
        'emit ms p50 / p95',
        'poll ms p50 / max',
        'idle poll ms',
        'db CPU ms/event',
        'node CPU ms/event',
        'prune ms',
        'listRunEvents ms',
        'deleteEventsOfRuns ms',
      ],
      rows,
    ),
  );
  await disconnectDb();
  await stopServices();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
