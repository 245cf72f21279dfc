// Builds a PDF from text or structured content (headings, paragraphs, lists, tables) with pdf-lib; outputs it as a
// file value. The standard PDF fonts cover Western European text; other characters are replaced, and listed.
import { defineNode, param } from '../define';
import { contentParams } from '../documents/content-params';

export const PAGE_SIZES = ['A4', 'Letter'] as const;

export const spec = defineNode({
  type: 'pdf-create',
  version: 1,
  title: 'Create PDF',
  description: 'Build a PDF from text or structured content: headings, paragraphs, lists, tables.',
  category: 'core',
  icon: 'pdf',
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [{ id: 'out', label: 'Document' }],
  params: {
    ...contentParams,
    fileName: param.text({
      label: 'File name',
      description: 'The name of the output file; ".pdf" is added when missing.',
      placeholder: 'Offer letter - {{ $input.name }}.pdf',
      default: 'document.pdf',
      maxLength: 200,
    }),
    pageSize: param.select({
      label: 'Page size',
      placeholder: 'A4',
      values: PAGE_SIZES,
      options: [
        { value: 'A4', label: 'A4 (210 × 297 mm)' },
        { value: 'Letter', label: 'US Letter (8.5 × 11 in)' },
      ],
      default: 'A4',
    }),
  },
  runtime: { kind: 'activity', taskQueue: 'default' },
});
