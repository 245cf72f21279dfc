// Fills a Word template's placeholders ({name}, loops {#items}…{/items}) with data; outputs the DOCX as a file
// value. A placeholder without a value fails the step naming it, rather than leaving a blank in a letter.
import { defineNode, param } from '../define';

export const spec = defineNode({
  type: 'docx-template',
  version: 1,
  title: 'Fill DOCX template',
  description: 'Fill the {placeholders} of a Word template with data; outputs the document as a file.',
  category: 'core',
  icon: 'document',
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [{ id: 'out', label: 'Document' }],
  params: {
    template: param.file({
      label: 'Template',
      description:
        'A .docx with placeholders such as {name} or {employee.title}, loops {#items}{label}{/items} and conditions {#manager}…{/manager}. Upload it, or use a file from an upstream node.',
      placeholder: '{{ $node("Form").template }}',
      required: true,
    }),
    data: param.anyValue({
      label: 'Data',
      description:
        'The placeholder values, by name. Every placeholder needs a value: a missing one fails the step naming it.',
      placeholder: '{{ { "name": $input.name, "salary": $input.salary } }}',
      default: '{{ $input }}',
    }),
    fileName: param.text({
      label: 'File name',
      description: 'The name of the output file; ".docx" is added when missing.',
      placeholder: 'Offer letter - {{ $input.name }}.docx',
      default: 'document.docx',
      maxLength: 200,
    }),
  },
  runtime: { kind: 'activity', taskQueue: 'default' },
});
