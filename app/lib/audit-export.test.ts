// Audit exports as files: RFC 4180 quoting that survives a parser, formula-injection guarding, and a JSON array
// that stays valid for zero, one and many chunks of entries.
import type { AuditEntry } from '../../db/audit';
import { parseCsv } from '../../test/parse-csv';
import { AUDIT_CSV_COLUMNS, auditExportResponse, csvCell } from './audit-export.server';

async function* entriesOf(list: AuditEntry[]) {
  yield* list;
}

const entry = (n: number, extra: Partial<AuditEntry> = {}): AuditEntry => ({
  id: `aud_${n}`,
  at: new Date(Date.UTC(2025, 2, 1, 9, 0, n % 60)),
  workspaceId: 'ws_hr',
  actor: { id: 'u_alice', name: 'Alice', via: 'session' },
  action: 'workflow.publish',
  target: { kind: 'workflow', id: `wf_${n}`, name: `Flow ${n}` },
  ip: '203.0.113.9',
  ...extra,
});

describe('csvCell', () => {
  test.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\rhere', '"cr\rhere"'],
    ['', ''],
  ])('%j is written as %j', (value, written) => {
    expect(csvCell(value)).toBe(written);
  });

  test.each([
    ['=HYPERLINK("http://evil.example","click")', `"'=HYPERLINK(""http://evil.example"",""click"")"`],
    ['+1+1', "'+1+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['\t=1', "'\t=1"],
    ['\r=1', `"'\r=1"`],
  ])('a cell that a spreadsheet would run, %j, starts with a quote mark', (value, written) => {
    expect(csvCell(value)).toBe(written);
  });

  test('undefined is an empty cell; a formula character later in the text is left alone', () => {
    expect(csvCell(undefined)).toBe('');
    expect(csvCell('a=b')).toBe('a=b');
  });
});

describe('auditExportResponse', () => {
  test('CSV: a header row, then one row per entry that parses back to its fields, injection guarded', async () => {
    const tricky = entry(1, {
      actor: { id: 'anonymous', name: '=cmd|"/C calc"!A0' },
      action: 'auth.sign-in-failed',
      target: { kind: 'workflow', id: 'wf_1', name: 'Payroll, "monthly"\nrun' },
      change: { note: '@risk', n: -1 },
    });
    const res = auditExportResponse(entriesOf([tricky, entry(2, { target: undefined, ip: undefined })]), 'csv', 'x');
    expect(res.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('Content-Disposition')).toBe('attachment; filename="x.csv"');
    const rows = parseCsv(await res.text());
    expect(rows[0]).toEqual([...AUDIT_CSV_COLUMNS]);
    expect(rows[1]).toEqual([
      '2025-03-01T09:00:01.000Z',
      'anonymous',
      `'=cmd|"/C calc"!A0`,
      '',
      'auth.sign-in-failed',
      'workflow',
      'wf_1',
      'Payroll, "monthly"\nrun',
      '203.0.113.9',
      '{"note":"@risk","n":-1}',
    ]);
    expect(rows[2]).toEqual([
      '2025-03-01T09:00:02.000Z',
      'u_alice',
      'Alice',
      'session',
      'workflow.publish',
      '',
      '',
      '',
      '',
      '',
    ]);
    expect(rows).toHaveLength(3);
  });

  test('JSON: one valid array for no entries, and for more entries than one chunk holds', async () => {
    const empty = auditExportResponse(entriesOf([]), 'json', 'x');
    expect(empty.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
    expect(JSON.parse(await empty.text())).toEqual([]);

    const many = Array.from({ length: 450 }, (_, n) => entry(n));
    const parsed = JSON.parse(await auditExportResponse(entriesOf(many), 'json', 'x').text());
    expect(parsed).toHaveLength(450);
    expect(parsed[0]).toEqual({ ...many[0], at: many[0].at.toISOString() });
    expect(parsed.map((e: { id: string }) => e.id)).toEqual(many.map((e) => e.id));
  });

  test('a client that stops reading closes the source of entries', async () => {
    let closed = false;
    async function* endless() {
      try {
        for (let n = 0; ; n++) yield entry(n);
      } finally {
        closed = true;
      }
    }
    const reader = auditExportResponse(endless(), 'csv', 'x').body!.getReader();
    await reader.read();
    await reader.read();
    await reader.cancel();
    expect(closed).toBe(true);
  });
});
