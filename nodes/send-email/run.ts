import type { NodeRunner, RunContext } from '../define';
import { NodeError } from '../errors';
import { MailSendError, sendMail, type SentMail } from './mailer';
import { buildMail, MailFieldError, withFileAttachments, type FileReader, type OutgoingMail } from './message';
import { smtpForStep, type SmtpSettings } from './smtp-settings';
import type { spec } from './spec';

type Params = Parameters<NodeRunner<typeof spec.params>>[1];

const DEFAULT_FROM = 'Baton <baton@baton.localhost>';

function invalid(message: string): NodeError {
  return new NodeError(`Send email: ${message}`, { code: 'param-invalid', retryable: false });
}

/** Reads attached files through the run's file store; its refusals (forged, too large, gone) name the entry. */
function fileReader(ctx: RunContext): FileReader | undefined {
  const files = ctx.files;
  if (!files) return undefined;
  return async (value, field, maxBytes) => {
    try {
      return await files.read(value, field, maxBytes);
    } catch (err) {
      if (err instanceof NodeError && !err.retryable) throw invalid(`${err.message}; fix the Attachments parameter`);
      throw err;
    }
  };
}

async function message(ctx: RunContext, params: Params, smtp: SmtpSettings): Promise<OutgoingMail> {
  try {
    return buildMail({
      ...params,
      attachments: await withFileAttachments(params.attachments, fileReader(ctx)),
      from: params.from || smtp.from || process.env.BATON_SMTP_FROM || DEFAULT_FROM,
    });
  } catch (err) {
    if (err instanceof MailFieldError)
      throw invalid(`${err.message}; fix the ${err.field.replace(/ \(.*$/, '')} parameter`);
    throw err;
  }
}

export const run: NodeRunner<typeof spec.params> = async (ctx, params) => {
  const smtp = await smtpForStep(ctx, params.credential, invalid);
  const mail = await message(ctx, params, smtp);
  if (!ctx.once) throw invalid('this node cannot run here: it needs the run store to send exactly once');
  try {
    const { result } = await ctx.once<SentMail>('send-email', () =>
      sendMail(smtp, mail, { idempotencyKey: ctx.idempotencyKey, signal: ctx.signal }),
    );
    return result;
  } catch (err) {
    if (err instanceof MailSendError) {
      throw new NodeError(`Send email: ${err.message}`, { code: 'smtp', retryable: err.retryable });
    }
    throw err;
  }
};
