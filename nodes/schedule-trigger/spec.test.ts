import { compilePlan } from '../../ir/compile';
import { checkParams } from '../../ir/params';
import type { WorkflowDocument } from '../../ir/types';
import { scheduleBindingOf } from '../triggers';
import { scheduleSettings, spec } from './spec';

const issues = (params: Record<string, unknown>) => checkParams(spec, params).map((i) => i.message);

describe('schedule-trigger', () => {
  it('is a schedule-bound trigger without inputs, whose params are never expressions', () => {
    expect(spec.runtime.kind === 'trigger' && spec.runtime.binding).toBe('schedule');
    expect(scheduleBindingOf(spec)).toBeDefined();
    expect(spec.inputs).toEqual([]);
    expect(Object.values(spec.params).every((p) => !p.ui.expression)).toBe(true);
  });

  it('defaults to 09:00:00 every day in UTC, skipping runs that would overlap', () => {
    expect(issues({})).toEqual([]);
    expect(scheduleSettings({})).toEqual({
      timing: { kind: 'cron', expression: '0 0 9 * * *', fields: expect.objectContaining({ hour: [9] }) },
      timeZone: 'UTC',
      jitterMs: 0,
      overlap: 'skip',
    });
  });

  it('refuses a bad cron expression, time zone or date with a message naming the param and the cron field', () => {
    expect(issues({ cron: '0 0 25 * * *' })).toEqual(['Param "cron": Cron field 3 (hour): 25 is out of range 0–23']);
    expect(issues({ timeZone: 'Mars/Olympus' })).toEqual([
      'Param "timeZone": is not a known time zone; use an IANA name such as Europe/Berlin or UTC',
    ]);
    expect(issues({ startAt: '2027-02-30' })).toEqual([expect.stringMatching(/^Param "startAt": must be an ISO date/)]);
    expect(issues({ every: 0, mode: 'interval' })).toEqual([expect.stringMatching(/^Param "every"/)]);
  });

  it('reads intervals, time zones, jitter, overlap and dates without an offset in the schedule’s zone', () => {
    const settings = scheduleSettings({
      mode: 'interval',
      every: 2,
      unit: 'hours',
      timeZone: 'Europe/Berlin',
      jitterMs: 500,
      overlap: 'bufferOne',
      startAt: '2027-01-31T09:00',
      endAt: '2027-02-01T00:00:00Z',
    });
    expect(settings).toEqual({
      timing: { kind: 'interval', everySeconds: 7200 },
      timeZone: 'Europe/Berlin',
      jitterMs: 500,
      overlap: 'bufferOne',
      startAt: new Date('2027-01-31T08:00:00Z'),
      endAt: new Date('2027-02-01T00:00:00Z'),
    });
  });

  it('spells the time zone as the Temporal server reads it', () => {
    expect(scheduleSettings({ timeZone: 'europe/berlin' }).timeZone).toBe('Europe/Berlin');
  });

  it('refuses an end date that is not after the start date, naming endAt', () => {
    expect(() => scheduleSettings({ startAt: '2027-01-02', endAt: '2027-01-01' })).toThrow(
      'Param "endAt": must be after the start date (2027-01-02T00:00:00.000Z); it is 2027-01-01T00:00:00.000Z',
    );
  });

  it('gives a run from the Run button a payload fired now, marked manual', () => {
    const runtime = spec.runtime.kind === 'trigger' ? spec.runtime : undefined;
    const before = Date.now();
    const payload = runtime?.manualPayload({}, { ignored: true }) as Record<string, unknown>;
    expect(payload).toEqual({ scheduledAt: payload.firedAt, firedAt: expect.any(String), manual: true });
    expect(Date.parse(payload.firedAt as string)).toBeGreaterThanOrEqual(before - 1);
  });

  it('cannot trigger an express workflow: the compiler says so on the trigger, as an unfinished draft', () => {
    const doc = (mode: 'express' | 'standard'): WorkflowDocument => ({
      nodes: [
        { id: 'clock', type: 'schedule-trigger', version: 1, name: 'Clock', position: { x: 0, y: 0 }, params: {} },
      ],
      edges: [],
      settings: { mode },
    });
    const express = compilePlan(doc('express'), { workflowId: 'wf', name: 'wf' });
    expect(express.ok ? [] : express.diagnostics).toEqual([
      expect.objectContaining({ code: 'express-schedule', nodeId: 'clock', path: ['nodes', 0], incomplete: true }),
    ]);
    expect(compilePlan(doc('standard'), { workflowId: 'wf', name: 'wf' }).ok).toBe(true);
  });
});
