// The params Create DOCX and Create PDF share: the content (text or blocks) and the document's title.
import { param } from '../define';

export const contentParams = {
  content: param.anyValue({
    label: 'Content',
    description:
      'Text (blank lines between paragraphs; "# " headings, "- " and "1. " list items), or a list of blocks: "text", { heading, level }, { paragraph }, { list: [...], ordered }, { table: rows, columns }, { pageBreak: true }. Table rows are objects or lists.',
    placeholder:
      '{{ [{ "heading": "Offer for " & $input.name }, "We are glad to offer you…", { "table": $input.terms }] }}',
    required: true,
    maxLength: 2 * 1024 * 1024,
  }),
  title: param.text({
    label: 'Title',
    description: "The document's title, in its properties (shown by viewers, searchable).",
    placeholder: 'Offer letter',
    maxLength: 500,
  }),
};
