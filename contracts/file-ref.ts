// A file as a value (docs/decisions/046-file-values.md): documents, spreadsheets and uploads travel between nodes as
// this small reference, never as bytes. Pure, so the browser (the run page's file cards, the inspector's upload
// field), node specs and the store (db/files, which writes, signs and reads them) share it.

/** How a file appears in step outputs, params and run output. */
export interface FileRef {
  $batonFile: string; // GridFS file id
  name: string;
  mimeType: string;
  bytes: number;
  /**
   * The store's signature over (workspace, id, name, type, size): only a reference the server made for this
   * workspace is read, so user data shaped like a file stays plain data (db/files `verifyFileRef`).
   */
  sig: string;
}

const FILE_REF_KEYS = ['$batonFile', 'name', 'mimeType', 'bytes', 'sig'];

/** Whether `value` has a file reference's shape (its signature is checked only where bytes are read). */
export function isFileRef(value: unknown): value is FileRef {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const ref = value as Partial<FileRef>;
  return (
    Object.keys(value).length === FILE_REF_KEYS.length &&
    typeof ref.$batonFile === 'string' &&
    typeof ref.name === 'string' &&
    typeof ref.mimeType === 'string' &&
    typeof ref.bytes === 'number' &&
    typeof ref.sig === 'string'
  );
}

/**
 * The file references inside `value` (the value itself, in lists, in objects), in order, at most `limit` and no
 * deeper than `depth`: what the run page shows as file cards under a step's output.
 */
export function fileRefsIn(value: unknown, limit = 20, depth = 6): FileRef[] {
  const found: FileRef[] = [];
  const visit = (v: unknown, level: number) => {
    if (found.length >= limit || typeof v !== 'object' || v === null) return;
    if (isFileRef(v)) {
      found.push(v);
      return;
    }
    if (level >= depth) return;
    for (const child of Array.isArray(v) ? v : Object.values(v)) visit(child, level + 1);
  };
  visit(value, 0);
  return found;
}

/** The types a browser may show inline from our origin: they cannot run script. Everything else downloads. */
const PREVIEWABLE: Record<string, 'pdf' | 'image'> = {
  'application/pdf': 'pdf',
  'image/png': 'image',
  'image/jpeg': 'image',
  'image/gif': 'image',
  'image/webp': 'image',
};

export function previewKind(mimeType: string): 'pdf' | 'image' | undefined {
  return PREVIEWABLE[mimeType.toLowerCase()];
}

/** The authenticated route that serves a file: inline when previewable, else (or with `download`) as an attachment. */
export function fileUrl(id: string, opts: { download?: boolean } = {}): string {
  return `/api/files/${encodeURIComponent(id)}${opts.download ? '?download=1' : ''}`;
}

export const MIME_TYPES = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
} as const;
