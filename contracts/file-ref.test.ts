// The file reference's shape: only the exact five keys count as a file, and the run page finds references wherever
// a node put them, within its limits.
import { fileRefsIn, fileUrl, isFileRef, previewKind, type FileRef } from './file-ref';

const ref = (id: string): FileRef => ({
  $batonFile: id,
  name: `${id}.pdf`,
  mimeType: 'application/pdf',
  bytes: 1,
  sig: 's',
});

test('a file reference has exactly its five keys, of their types', () => {
  expect(isFileRef(ref('a'))).toBe(true);
  expect(isFileRef({ ...ref('a'), extra: 1 })).toBe(false);
  expect(isFileRef({ ...ref('a'), bytes: '1' })).toBe(false);
  const { sig: _sig, ...unsigned } = ref('a');
  expect(isFileRef(unsigned)).toBe(false);
  expect(isFileRef([ref('a')])).toBe(false);
  expect(isFileRef('a')).toBe(false);
});

test('references are found in lists and objects, in order, up to the limit and depth', () => {
  const value = { file: ref('a'), more: [ref('b'), { deep: { file: ref('c') } }], text: 'x' };
  expect(fileRefsIn(value).map((f) => f.$batonFile)).toEqual(['a', 'b', 'c']);
  expect(fileRefsIn(value, 2).map((f) => f.$batonFile)).toEqual(['a', 'b']);
  expect(fileRefsIn({ a: { b: { c: ref('too deep') } } }, 20, 2)).toEqual([]);
  expect(fileRefsIn(ref('top'))).toEqual([ref('top')]);
});

test('only types that cannot run script preview inline', () => {
  expect(previewKind('application/pdf')).toBe('pdf');
  expect(previewKind('IMAGE/PNG')).toBe('image');
  expect(previewKind('image/svg+xml')).toBeUndefined();
  expect(previewKind('text/html')).toBeUndefined();
  expect(fileUrl('abc')).toBe('/api/files/abc');
  expect(fileUrl('abc', { download: true })).toBe('/api/files/abc?download=1');
});
