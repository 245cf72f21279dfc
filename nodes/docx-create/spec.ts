// Builds a Word document from structured content (headings, paragraphs, lists, tables) with the `docx` library;
// outputs it as a file value.
import { defineNode, param } from '../define';
import { contentParams } from '../documents/content-params';

export const spec = defineNode({
  type: 'docx-create',
  version: 1,
  title: 'Create DOCX',
  description: 'Build a Word document from text or structured content: headings, paragraphs, lists, tables.',
  category: 'core',
  icon: 'document',
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [{ id: 'out', label: 'Document' }],
  params: {
    ...contentParams,
    fileName: param.text({
      label: 'File name',
      description: 'The name of the output file; ".docx" is added when missing.',
      placeholder: 'Summary - {{ $input.name }}.docx',
      default: 'document.docx',
      maxLength: 200,
    }),
  },
  runtime: { kind: 'activity', taskQueue: 'default' },
});
