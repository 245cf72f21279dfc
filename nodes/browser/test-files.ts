// Test helper (the Browser node's run, parity and download tests, both engines): a run's files in memory, with the store's contract: a stream that throws
// keeps nothing, reads check the size.
import { isFileRef, type FileRef } from '../../contracts/file-ref';
import type { RunFiles } from '../define';

export function memoryFiles() {
  const saved: Array<{ name: string; mimeType: string; data: Buffer }> = [];
  const save: RunFiles['save'] = async (file) => {
    saved.push(file);
    return {
      $batonFile: `f${saved.length}`,
      name: file.name,
      mimeType: file.mimeType,
      bytes: file.data.length,
      sig: 's',
    };
  };
  const files: RunFiles = {
    save,
    saveStream: async ({ data, ...file }) => {
      const chunks: Buffer[] = [];
      for await (const chunk of data) chunks.push(chunk);
      return save({ ...file, data: Buffer.concat(chunks) });
    },
    read: async (value, field, maxBytes) => {
      const i = isFileRef(value) ? Number(value.$batonFile.slice(1)) - 1 : -1;
      if (!saved[i]) throw new Error(`${field} must be a file of this run`);
      if (saved[i].data.length > maxBytes) throw new Error(`${field} is over ${maxBytes} bytes`);
      return { ref: value as FileRef, data: saved[i].data };
    },
  };
  return { files, saved };
}
