import { MIME_TYPES } from '../../contracts/file-ref';
import type { NodeRunner } from '../define';
import { parseBlocks } from '../documents/blocks';
import { asNodeErrors } from '../documents/errors';
import { filesOf, outputFileName } from '../documents/files';
import { renderPdf } from './render';
import type { spec } from './spec';

export const run: NodeRunner<typeof spec.params> = (ctx, params) =>
  asNodeErrors('Create PDF', async () => {
    const files = filesOf(ctx);
    const name = outputFileName(params.fileName, 'pdf', 'document.pdf');
    const pdf = await renderPdf(parseBlocks(params.content), {
      title: params.title || undefined,
      pageSize: params.pageSize ?? 'A4',
    });
    if (pdf.replaced.length)
      ctx.log.warn('Characters the PDF fonts cannot write were replaced', { characters: pdf.replaced.join('') });
    return {
      file: await files.save({ name, mimeType: MIME_TYPES.pdf, data: pdf.data }),
      pages: pdf.pages,
      ...(pdf.replaced.length ? { replacedCharacters: pdf.replaced } : {}),
    };
  });
