// Public webhook endpoint: /hooks/<workflowId>/<path>. The URL identifies the workflow, so no login is asked;
// the trigger of the latest published version answers when the registry says it is webhook-bound. Every refusal
// is generic, so callers learn nothing about which workflows or paths exist; the reasons go to the server log.
// Which version is live, and the workspace the run lands in, is read by `_id` and kept for a second (decision 043);
// the version's plan and trigger params come from the plan cache (decision 028).
import type { IncomingMessage } from 'node:http';
import express, { type ErrorRequestHandler, type Request, type Response } from 'express';
import { scrubUrlSecrets } from '../../contracts/redaction';
import { streamResolvedJson } from '../../db/blob-json';
import { cachedPublishedVersionOf, getWorkflowUnscoped } from '../../db/workflows';
import { EXPRESS_RETRY_AFTER_SECONDS, takeExpressSlot } from '../../express/concurrency';
import { startExpressRun } from '../../express/run-express';
import type { Plan, PlanNode } from '../../ir/types';
import { webhookBindingOf, type WebhookBinding, type WebhookRequest } from '../../nodes/triggers';
import { RateLimiter } from '../../nodes/webhook-trigger/rate-limit';
import { checkWebhookAuth, SeenSignatures } from '../../nodes/webhook-trigger/verify';
import { waitForRun } from '../../temporal/client';
import { admitRun } from './admission.server';
import { publishedPlan } from './plan-cache.server';
import { launchRun } from './run-launcher.server';
import { handleResume } from './wait-resume.server';

const BODY_LIMIT = '1mb';
const WAIT_LIMIT_MS = 5 * 60_000;
const NOT_FOUND = 'No webhook at this URL.';
const UNAUTHORIZED = 'This request is not authorized to start the workflow.';

// Signatures are computed over the bytes as sent, so every parser keeps them for the auth check.
const rawBodies = new WeakMap<IncomingMessage, Buffer>();
const keepRawBody = (req: IncomingMessage, _res: unknown, body: Buffer) => void rawBodies.set(req, body);
const limiter = new RateLimiter();
const seenSignatures = new SeenSignatures();

const fail = (res: Response, status: number, message: string, extra: Record<string, unknown> = {}) =>
  res.status(status).json({ error: { message, ...extra } });

// JSON-quoted so that a crafted URL cannot forge log lines; tokens in the query stay out of the log.
const requestLine = (req: Request) => `${req.method} ${JSON.stringify(scrubUrlSecrets(req.originalUrl))}`;
const logRefusal = (req: Request, status: number, reason: string) =>
  console.warn(`[webhook] ${requestLine(req)} → ${status}: ${reason}`);

interface LiveWebhook {
  workspaceId: string;
  workflowId: string;
  version: number;
  plan: Plan;
  trigger: PlanNode;
  /** The trigger's params as saved: the plan holds `[secret]` in place of secrets (nodes/define `param.secret`). */
  params: Record<string, unknown>;
  binding: WebhookBinding;
}

/** The published webhook trigger a request targets, or why there is none. */
async function findWebhook(idInUrl: string, method: string, path: string): Promise<LiveWebhook | string> {
  const workflow = await cachedPublishedVersionOf(idInUrl);
  if (!workflow) return 'no such workflow';
  const { id: workflowId, workspaceId, publishedVersion: version } = workflow;
  if (version === null) return 'the workflow has no published version';
  const published = await publishedPlan(
    workflowId,
    version,
    async () => (await getWorkflowUnscoped(workflowId))?.name ?? '',
  );
  if (!published.ok) return `published version ${version} cannot run: ${published.message}`;
  const { plan, triggerParams: params } = published;
  const trigger = plan.nodes[plan.triggerId];
  const binding = webhookBindingOf(trigger);
  if (!binding) return `version ${version}'s trigger "${trigger.name}" is not a webhook`;
  if (!binding.matches(trigger.params, method, path))
    return `version ${version}'s webhook "${trigger.name}" listens on another method or path`;
  return { workspaceId, workflowId, version, plan, trigger, params, binding };
}

function webhookRequest(req: Request, path: string): WebhookRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers))
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  // Content types Baton does not parse arrive as bytes, read for the signature check only.
  const body = Buffer.isBuffer(req.body) ? null : (req.body ?? null);
  return { method: req.method, path, headers, query: req.query, body };
}

async function handleWebhook(req: Request, res: Response) {
  const path = (req.params as Record<string, string>)[0] ?? '';
  const found = await findWebhook(req.params.workflowId, req.method, path);
  if (typeof found === 'string') {
    logRefusal(req, 404, found);
    return fail(res, 404, NOT_FOUND);
  }
  const { trigger, params, binding } = found;
  const settings = binding.settings(params);
  const key = `${found.workflowId}/${trigger.id}`;
  // Counted before auth, so that the limit also slows down secret guessing.
  const wait = settings.rateLimitPerMinute ? limiter.take(key, settings.rateLimitPerMinute) : 0;
  if (wait) {
    logRefusal(req, 429, `over ${settings.rateLimitPerMinute} requests per minute`);
    res.setHeader('Retry-After', String(wait));
    return fail(res, 429, 'Too many requests; retry after the number of seconds in Retry-After.');
  }
  const rawBody = rawBodies.get(req) ?? Buffer.alloc(0);
  const check = checkWebhookAuth(
    settings.auth,
    { headers: req.headers, rawBody },
    { seen: seenSignatures, scope: key },
  );
  if (!check.ok) {
    logRefusal(req, 401, check.reason);
    if (settings.auth.kind === 'basic') res.setHeader('WWW-Authenticate', 'Basic realm="webhook", charset="UTF-8"');
    return fail(res, 401, UNAUTHORIZED);
  }

  const payload = binding.payload(params, webhookRequest(req, path));
  if (found.plan.mode === 'express') return runExpressHere(req, res, found, payload, settings.respondWithOutput);

  const refusal = await admitRun();
  if (refusal) {
    logRefusal(req, 503, `${refusal.waiting} runs wait for a worker; BATON_MAX_BACKLOG is ${refusal.limit}`);
    res.setHeader('Retry-After', String(refusal.retryAfterSeconds));
    return fail(res, 503, 'Too many runs are waiting to start; retry after the number of seconds in Retry-After.');
  }

  const runId = await launchRun({
    plan: found.plan,
    planStored: true,
    workspaceId: found.workspaceId,
    workflowId: found.workflowId,
    workflowVersion: found.version,
    trigger: payload,
    mode: 'webhook',
  });
  if (!settings.respondWithOutput) return res.status(202).json({ runId });

  // A caller that hangs up stops the wait (the run goes on): no Temporal long-poll is held for nobody.
  const callerGone = new AbortController();
  res.on('close', () => !res.writableFinished && callerGone.abort());
  let result: Awaited<ReturnType<typeof waitForRun>>;
  try {
    result = await waitForRun(runId, WAIT_LIMIT_MS, callerGone.signal);
  } catch (err) {
    if (callerGone.signal.aborted) return logRefusal(req, 499, `caller went away while run ${runId} was running`);
    throw err;
  }
  if (result.status === 'succeeded') {
    // Outputs over the blob threshold travel as references; the caller gets the values, streamed from GridFS.
    res.status(200).type('application/json');
    for await (const chunk of streamResolvedJson(JSON.stringify(result.output ?? null), runId)) res.write(chunk);
    return res.end();
  }
  logRefusal(req, 500, `run ${runId} ended ${result.status}: ${result.error?.message ?? 'no error recorded'}`);
  return fail(res, 500, `The run ${result.status === 'cancelled' ? 'was cancelled' : 'failed'}.`, {
    runId,
    status: result.status,
  });
}

/**
 * Express plans run in this process, without Temporal, and are recorded when they end (decision 030). Waiting
 * callers get the output itself; the others get the run id at once while the run goes on here.
 */
async function runExpressHere(
  req: Request,
  res: Response,
  found: LiveWebhook,
  trigger: unknown,
  respondWithOutput: boolean,
) {
  const release = takeExpressSlot();
  if (!release) {
    logRefusal(req, 503, 'express runs in this process are at BATON_EXPRESS_MAX_CONCURRENCY');
    res.setHeader('Retry-After', String(EXPRESS_RETRY_AFTER_SECONDS));
    return fail(res, 503, 'Too many runs are in progress; retry after the number of seconds in Retry-After.');
  }
  const { runId, finished } = startExpressRun({
    plan: found.plan,
    workspaceId: found.workspaceId,
    workflowId: found.workflowId,
    workflowVersion: found.version,
    trigger,
    mode: 'webhook',
  });
  const running = finished.finally(release);
  if (!respondWithOutput) {
    running.catch((err: unknown) =>
      console.error(`[webhook] express run ${runId} was lost: it could not be recorded:`, err),
    );
    // The run record appears when the run ends.
    return res.status(202).json({ runId });
  }
  const result = await running;
  if (result.status === 'succeeded') return res.status(200).json(result.output ?? null);
  logRefusal(req, 500, `express run ${result.runId} failed: ${result.error?.message ?? 'no error recorded'}`);
  return fail(res, 500, 'The run failed.', { runId: result.runId, status: result.status });
}

const webhookErrors: ErrorRequestHandler = (
  err: { type?: string; status?: number; message?: string },
  req,
  res,
  next,
) => {
  if (res.headersSent) return next(err);
  if (err.type === 'entity.too.large')
    return fail(res, 413, `Request body is larger than ${BODY_LIMIT.toUpperCase()}.`);
  if (err.status && err.status < 500) {
    logRefusal(req, err.status, err.message ?? 'unreadable body');
    return fail(
      res,
      err.status,
      err.type === 'entity.parse.failed' ? 'Request body is not valid for its Content-Type.' : 'Bad request.',
    );
  }
  console.error(`[webhook] ${requestLine(req)} failed:`, err);
  return fail(res, 500, 'The webhook failed; try again later.');
};

export function webhookRouter(): express.Router {
  const router = express.Router();
  const parsers = [
    express.json({ limit: BODY_LIMIT, type: ['application/json', 'application/*+json'], verify: keepRawBody }),
    express.urlencoded({ limit: BODY_LIMIT, extended: false, verify: keepRawBody }),
    express.text({ limit: BODY_LIMIT, type: ['text/*', 'application/xml'], verify: keepRawBody }),
    express.raw({ limit: BODY_LIMIT, type: () => true, verify: keepRawBody }),
  ];
  const handler = (req: Request, res: Response, next: express.NextFunction) => {
    handleWebhook(req, res).catch(next);
  };
  // Before the workflow hooks, which would take `wait` for a workflow id.
  router.all('/hooks/wait/:runId/:nodeId/:signature', ...parsers, (req, res, next) => {
    handleResume(req, res).catch(next);
  });
  router.all(['/hooks/:workflowId', '/hooks/:workflowId/*'], ...parsers, handler);
  router.use('/hooks', webhookErrors);
  return router;
}
