// What document nodes share about files: the store access a runner needs, output names, input size caps, and the
// check that an Office file (a ZIP archive) does not unpack to more than a worker should hold.
import PizZip from 'pizzip';
import type { RunContext, RunFiles } from '../define';
import { NodeError } from '../errors';
import { formatSize } from '../json-value';
import { DocumentFieldError } from './errors';

/** Input files larger than these are refused before they are read, naming the field. */
export const INPUT_LIMITS = {
  template: 10 * 1024 * 1024,
  spreadsheet: 20 * 1024 * 1024,
  /** What an Office file's parts may add up to once unpacked. */
  unpacked: 200 * 1024 * 1024,
} as const;

export function filesOf(ctx: RunContext): RunFiles {
  if (!ctx.files)
    throw new NodeError('this node cannot run here: it needs the file store', {
      code: 'file-unavailable',
      retryable: false,
    });
  return ctx.files;
}

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f/\\]/;

/** The output file's name as written in `field`, with `extension` added when it has another or none. */
export function outputFileName(
  value: string | undefined,
  extension: string,
  fallback: string,
  field = 'File name',
): string {
  const name = (value ?? '').trim() || fallback;
  if (UNSAFE.test(name))
    throw new DocumentFieldError(field, 'must be a plain file name: no slashes, line breaks or control characters');
  if (name.length > 200) throw new DocumentFieldError(field, `is ${name.length} characters long; the limit is 200`);
  return name.toLowerCase().endsWith(`.${extension}`) ? name : `${name}.${extension}`;
}

/** The archive of an Office file, refused naming `field` when it is not one or unpacks to more than the limit. */
export function openOfficeZip(data: Buffer, field: string, kind: 'DOCX' | 'XLSX'): PizZip {
  let zip: PizZip;
  try {
    zip = new PizZip(data);
  } catch {
    throw new DocumentFieldError(
      field,
      `is not ${kind === 'XLSX' ? 'an' : 'a'} ${kind} file (it is not a ZIP archive); save it as .${kind.toLowerCase()}`,
    );
  }
  let unpacked = 0;
  for (const file of Object.values(zip.files)) {
    unpacked += (file as unknown as { _data?: { uncompressedSize?: number } })._data?.uncompressedSize ?? 0;
  }
  if (unpacked > INPUT_LIMITS.unpacked)
    throw new DocumentFieldError(
      field,
      `unpacks to ${formatSize(unpacked)}; the limit is ${formatSize(INPUT_LIMITS.unpacked)}`,
    );
  return zip;
}
