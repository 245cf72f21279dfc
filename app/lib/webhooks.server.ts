// Public webhook endpoint: /hooks/<workflowId>/<path>. The URL identifies the workflow, so no login is asked;
// only the latest published version's webhook triggers are live.
import express, { type ErrorRequestHandler, type Request, type Response } from 'express';
import { streamResolvedJson } from '../../activities/blob-json';
import type { DocumentNode } from '../../ir/types';
import { matchesWebhook } from '../../nodes/webhook-trigger/spec';
import { waitForRun } from '../../temporal/client';
import { latestVersion, getWorkflow } from '../models/workflow.server';
import { launchRun } from './run-launcher.server';
import { planForRun } from './run-plan.server';

const BODY_LIMIT = '1mb';
const WAIT_LIMIT_MS = 5 * 60_000;
// Credentials of the caller are not the workflow's business and must not be stored in run records.
const DROPPED_HEADERS = new Set(['cookie', 'authorization', 'proxy-authorization']);

interface WebhookParams {
  path: string;
  method?: string;
  waitForCompletion?: boolean;
}

const fail = (res: Response, status: number, message: string, extra: Record<string, unknown> = {}) =>
  res.status(status).json({ error: { message, ...extra } });

function webhookTriggers(document: unknown): Array<DocumentNode & { params: WebhookParams }> {
  const nodes = (document as { nodes?: DocumentNode[] })?.nodes ?? [];
  return nodes.filter((n) => n.type === 'webhook-trigger' && !n.disabled) as Array<
    DocumentNode & { params: WebhookParams }
  >;
}

function triggerPayload(req: Request, path: string) {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (!DROPPED_HEADERS.has(name) && value !== undefined)
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return { method: req.method, path, headers, query: req.query, body: req.body ?? null };
}

async function handleWebhook(req: Request, res: Response) {
  const workflowId = req.params.workflowId;
  const path = (req.params as Record<string, string>)[0] ?? '';
  const workflow = await getWorkflow(workflowId);
  if (!workflow) return fail(res, 404, `No workflow ${workflowId}: check the webhook URL.`);
  const version = await latestVersion(workflow.id);
  if (!version)
    return fail(
      res,
      404,
      `Workflow "${workflow.name}" has no published version yet; publish it to turn its webhook on.`,
    );

  const triggers = webhookTriggers(version.document);
  const trigger = triggers.find((t) => matchesWebhook(t.params, req.method, path));
  if (!trigger) {
    const live = triggers.map(
      (t) => `${t.params.method ?? 'POST'} /hooks/${workflow.id}/${t.params.path.replace(/^\/+/, '')}`,
    );
    return fail(
      res,
      404,
      `Published version ${version.version} of "${workflow.name}" has no webhook for ${req.method} /${path}. ${live.length ? `It listens on: ${live.join(', ')}.` : 'It has no webhook trigger.'}`,
    );
  }

  const choice = await planForRun(workflow, version.version);
  if (!choice.ok) return fail(res, choice.status === 404 ? 404 : 500, choice.message);
  const runId = await launchRun({
    plan: choice.plan,
    workflowId: workflow.id,
    workflowVersion: version.version,
    trigger: triggerPayload(req, path),
    mode: 'webhook',
  });
  if (!trigger.params.waitForCompletion) return res.status(202).json({ runId });

  const result = await waitForRun(runId, WAIT_LIMIT_MS);
  if (result.status === 'succeeded') {
    // Outputs over the blob threshold travel as references; the caller gets the values, streamed from GridFS.
    res.status(200).type('application/json');
    for await (const chunk of streamResolvedJson(JSON.stringify(result.output ?? null))) res.write(chunk);
    return res.end();
  }
  return fail(res, 500, result.error?.message ?? `Run ${runId} ended ${result.status}.`, {
    runId,
    status: result.status,
    ...(result.error?.nodeId ? { nodeId: result.error.nodeId } : {}),
  });
}

const bodyErrors: ErrorRequestHandler = (
  err: { type?: string; status?: number; message?: string },
  _req,
  res,
  next,
) => {
  if (res.headersSent) return next(err);
  if (err.type === 'entity.too.large')
    return fail(res, 413, `Webhook body is larger than the ${BODY_LIMIT.toUpperCase()} limit.`);
  if (err.type === 'entity.parse.failed') return fail(res, 400, `Webhook body is not valid JSON: ${err.message}`);
  if (err.status && err.status < 500) return fail(res, err.status, err.message ?? 'Bad request');
  console.error('[webhook] failed:', err);
  return fail(res, 500, `Webhook failed: ${err.message ?? 'internal error'}`);
};

export function webhookRouter(): express.Router {
  const router = express.Router();
  const parsers = [
    express.json({ limit: BODY_LIMIT, type: ['application/json', 'application/*+json'] }),
    express.urlencoded({ limit: BODY_LIMIT, extended: false }),
    express.text({ limit: BODY_LIMIT, type: ['text/*', 'application/xml'] }),
  ];
  const handler = (req: Request, res: Response, next: express.NextFunction) => {
    handleWebhook(req, res).catch(next);
  };
  router.all(['/hooks/:workflowId', '/hooks/:workflowId/*'], ...parsers, handler);
  router.use('/hooks', bodyErrors);
  return router;
}
