// POST /api/workflows/:id/schedule/backfill { from, to }: runs the fire times from `from` to `to` (both included,
// ISO date-times) that the schedule missed, now, one after another. Refused when the range reaches into the future,
// holds more than MAX_BACKFILL_SLOTS fire times, or holds fire times that already have runs.
import { z } from 'zod';
import { apiHandler } from '../lib/api-route.server';
import { apiError, json, parseWith, readJson } from '../lib/http.server';
import { MAX_BACKFILL_SLOTS } from '../lib/schedule-view';
import { backfill, scheduleFailure, scheduleView } from '../lib/schedules.server';
import { auditWorkflowAction } from '../lib/workflow-audit.server';
import { getWorkflow } from '../../db/workflows';
import { scheduledRunId } from '../../temporal/schedules';

const instant = z
  .string()
  .datetime({ offset: true, message: 'must be an ISO date-time with Z or an offset, e.g. 2027-01-31T09:00:00Z' })
  .transform((s) => new Date(s));
const bodySchema = z.object({ from: instant, to: instant }).strict();

const handle = apiHandler('/api/workflows/:id/schedule/backfill', {
  POST: async ({ request, params, caller, ip }) => {
    const body = parseWith(bodySchema, await readJson(request, 16 * 1024));
    const workflow = await getWorkflow(caller.scope, params.id!);
    if (!workflow) return apiError(404, `Workflow ${params.id} does not exist.`);
    try {
      const slots = await backfill(workflow, body.from, body.to);
      await auditWorkflowAction(
        { caller, ip },
        'run.start',
        { kind: 'workflow', id: workflow.id, name: workflow.name },
        { how: 'schedule backfill', from: body.from.toISOString(), to: body.to.toISOString(), runs: slots.length },
      );
      return json(
        {
          slots: slots.length,
          first: slots[0].toISOString(),
          last: slots[slots.length - 1].toISOString(),
          limit: MAX_BACKFILL_SLOTS,
          // The runs it starts, one per slot, named as Temporal names them.
          runIds: slots.map((slot) => scheduledRunId(workflow.id, slot)),
          schedule: await scheduleView(workflow),
        },
        202,
      );
    } catch (err) {
      return scheduleFailure(err);
    }
  },
});

export const loader = handle;
export const action = handle;
