import { MIME_TYPES } from '../../contracts/file-ref';
import type { NodeRunner } from '../define';
import { asNodeErrors } from '../documents/errors';
import { filesOf, INPUT_LIMITS, outputFileName } from '../documents/files';
import { fillTemplate } from './fill';
import type { spec } from './spec';

export const run: NodeRunner<typeof spec.params> = (ctx, params) =>
  asNodeErrors('Fill DOCX template', async () => {
    const files = filesOf(ctx);
    const name = outputFileName(params.fileName, 'docx', 'document.docx');
    const { data: template } = await files.read(params.template, 'Template', INPUT_LIMITS.template);
    const filled = fillTemplate(template, params.data);
    return { file: await files.save({ name, mimeType: MIME_TYPES.docx, data: filled }) };
  });
