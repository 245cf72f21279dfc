import { MIME_TYPES } from '../../contracts/file-ref';
import type { NodeRunner } from '../define';
import { parseBlocks } from '../documents/blocks';
import { asNodeErrors } from '../documents/errors';
import { filesOf, outputFileName } from '../documents/files';
import { renderDocx } from './render';
import type { spec } from './spec';

export const run: NodeRunner<typeof spec.params> = (ctx, params) =>
  asNodeErrors('Create DOCX', async () => {
    const files = filesOf(ctx);
    const name = outputFileName(params.fileName, 'docx', 'document.docx');
    const data = await renderDocx(parseBlocks(params.content), params.title || undefined);
    return { file: await files.save({ name, mimeType: MIME_TYPES.docx, data }) };
  });
