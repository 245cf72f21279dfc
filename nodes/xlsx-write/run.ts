import { MIME_TYPES } from '../../contracts/file-ref';
import type { NodeRunner } from '../define';
import { asNodeErrors } from '../documents/errors';
import { filesOf, outputFileName } from '../documents/files';
import { parseColumns, writeSheet } from './sheet';
import type { spec } from './spec';

export const run: NodeRunner<typeof spec.params> = (ctx, params) =>
  asNodeErrors('Write XLSX', async () => {
    const files = filesOf(ctx);
    const name = outputFileName(params.fileName, 'xlsx', 'sheet.xlsx');
    const sheet = await writeSheet(params.rows, {
      columns: parseColumns(params.columns),
      sheetName: params.sheetName || 'Sheet1',
    });
    return { file: await files.save({ name, mimeType: MIME_TYPES.xlsx, data: sheet.data }), rows: sheet.rows };
  });
