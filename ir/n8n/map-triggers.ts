// n8n trigger nodes → Baton triggers: Manual, Webhook, Schedule.
import type { Mapper } from './map-values';
import { list, num, rec, str, unitOf, UNITS } from './map-values';

export const manualTrigger: Mapper = () => ({
  type: 'manual-trigger',
  version: 1,
  params: {},
  outputs: ['out'],
  notes: [],
});

export const webhook: Mapper = (node) => {
  const p = node.parameters;
  const notes: string[] = [];
  const raw = str(p.path, node.id ?? 'webhook');
  const path =
    raw
      .replace(/[^A-Za-z0-9_/-]+/g, '-')
      .replace(/\/{2,}/g, '/')
      .replace(/^[-/]+|[-/]+$/g, '') || 'webhook';
  if (path !== raw) notes.push(`webhook path "${raw}" became "${path}" (Baton paths take letters, digits, "-", "_")`);
  const method = str(p.httpMethod, node.typeVersion >= 2 ? 'GET' : 'GET').toUpperCase();
  const methods = ['POST', 'GET', 'PUT', 'PATCH', 'DELETE'];
  if (!methods.includes(method)) notes.push(`HTTP method ${method} is not offered by Baton webhooks; set to POST`);
  const auth = str(p.authentication, 'none');
  if (auth !== 'none') notes.push(`n8n webhook authentication "${auth}": set the trigger's Authentication again`);
  return {
    type: 'webhook-trigger',
    version: 1,
    params: {
      path,
      method: methods.includes(method) ? method : 'POST',
      ...(p.responseMode === 'lastNode' ? { waitForCompletion: true } : {}),
    },
    outputs: ['out'],
    notes,
  };
};

export const scheduleTrigger: Mapper = (node) => {
  const rule = list(rec(node.parameters.rule).interval)[0] ?? { field: 'days' };
  const field = str(rule.field, 'days');
  if (field === 'cronExpression')
    return {
      type: 'schedule-trigger',
      version: 1,
      params: { mode: 'cron', cron: str(rule.expression) },
      outputs: ['out'],
      notes: [],
    };
  const every = num(rule[`${field}Interval`]) ?? 1;
  if (!(UNITS as readonly string[]).includes(field)) return undefined;
  const notes = field === 'days' || field === 'hours' ? ['n8n ran at a set hour/minute; check the schedule start'] : [];
  return {
    type: 'schedule-trigger',
    version: 1,
    params: { mode: 'interval', every, unit: unitOf(field, 'days') },
    outputs: ['out'],
    notes,
  };
};
