// Audit log exports (GET /api/audit?format=csv|json): every matching entry, streamed newest first so a long log
// never sits in memory whole. CSV follows RFC 4180 and guards spreadsheets against formula injection.
import type { AuditEntry } from '../../db/audit';

export const AUDIT_CSV_COLUMNS = [
  'time',
  'actor_id',
  'actor_name',
  'via',
  'action',
  'target_kind',
  'target_id',
  'target_name',
  'ip',
  'change',
] as const;

/** Cells a spreadsheet would run as a formula (OWASP "CSV injection"): they get a leading `'`. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV cell: formula-guarded, then quoted when it holds a comma, quote or line break (quotes doubled). */
export function csvCell(value: string | undefined): string {
  const text = value === undefined ? '' : FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function auditCsvLine(entry: AuditEntry): string {
  const cells = [
    entry.at.toISOString(),
    entry.actor.id,
    entry.actor.name,
    entry.actor.via,
    entry.action,
    entry.target?.kind,
    entry.target?.id,
    entry.target?.name,
    entry.ip,
    entry.change ? JSON.stringify(entry.change) : undefined,
  ];
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** An entry as the JSON API and the JSON export show it. */
export function auditEntryJson(entry: AuditEntry) {
  return { ...entry, at: entry.at.toISOString() };
}

const ENTRIES_PER_CHUNK = 200;

/**
 * A download of `entries` as CSV (header row first) or as one JSON array. The stream pulls a chunk of entries at a
 * time, so the database is read as fast as the client takes the file; a client that goes away closes the cursor.
 */
export function auditExportResponse(
  entries: AsyncGenerator<AuditEntry>,
  format: 'csv' | 'json',
  fileStem: string,
): Response {
  const encoder = new TextEncoder();
  let count = 0;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(format === 'csv' ? `${AUDIT_CSV_COLUMNS.join(',')}\r\n` : '['));
    },
    async pull(controller) {
      try {
        let text = '';
        for (let n = 0; n < ENTRIES_PER_CHUNK; n++) {
          const { value, done } = await entries.next();
          if (done) {
            text += format === 'csv' ? '' : count ? '\n]\n' : ']\n';
            controller.enqueue(encoder.encode(text));
            controller.close();
            return;
          }
          text +=
            format === 'csv' ? auditCsvLine(value) : `${count ? ',' : ''}\n${JSON.stringify(auditEntryJson(value))}`;
          count++;
        }
        controller.enqueue(encoder.encode(text));
      } catch (err) {
        console.error(`[audit] export failed after ${count} entries: ${(err as Error).message}`);
        controller.error(err);
      }
    },
    async cancel() {
      await entries.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
      'Content-Disposition': `attachment; filename="${fileStem}.${format}"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}
