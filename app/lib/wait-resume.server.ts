// Resume links of Wait nodes: /hooks/wait/<runId>/<nodeId>/<signature> (db/resume-links.ts). Public like webhooks:
// the signature is the credential. A forged or altered link gets the same 404 as any unknown hook; a link that
// already resumed its node, or whose run no longer waits there, gets 409 with the run's reason.
import type { Request, Response } from 'express';
import { verifyResumeSignature } from '../../db/resume-links';
import { ResumeRefusedError, RunNotRunningError, resumeWait } from '../../temporal/client';

const NOT_FOUND = 'No webhook at this URL.';

const fail = (res: Response, status: number, message: string) => res.status(status).json({ error: { message } });

/** What the Wait node outputs when its link is called: the request, as a webhook trigger would see it. */
function resumeData(req: Request): { method: string; query: unknown; body: unknown } {
  const body: unknown = Buffer.isBuffer(req.body) ? (req.body.length ? req.body.toString('utf8') : null) : req.body;
  return { method: req.method, query: req.query, body: body ?? null };
}

export async function handleResume(req: Request, res: Response): Promise<void> {
  const { runId, nodeId, signature } = req.params as Record<string, string>;
  if (!verifyResumeSignature(runId, nodeId, signature)) {
    console.warn(`[webhook] ${req.method} resume link of run ${JSON.stringify(runId)} → 404: bad signature`);
    fail(res, 404, NOT_FOUND);
    return;
  }
  try {
    await resumeWait(runId, { nodeId, source: 'webhook', data: resumeData(req) });
    res.status(200).json({ resumed: true });
  } catch (err) {
    if (err instanceof ResumeRefusedError) return void fail(res, 409, err.message);
    if (err instanceof RunNotRunningError) return void fail(res, 409, 'The run of this link is no longer running.');
    throw err;
  }
}
