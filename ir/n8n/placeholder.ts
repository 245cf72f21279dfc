// What an n8n node Baton cannot map becomes: a disabled n8n-placeholder keeping its type and parameters, and a
// hint naming the Baton node to rebuild it with.
import type { Mapped, N8nNode } from './types';

const HINTS: Record<string, string> = {
  switch: 'Switch',
  splitInBatches: 'Loop over items',
  filter: 'Filter',
  sort: 'Sort',
  removeDuplicates: 'Remove duplicates',
  splitOut: 'Split out',
  aggregate: 'Aggregate',
  dateTime: 'Date & time',
  crypto: 'Crypto',
  compareDatasets: 'Compare datasets',
  executeWorkflow: 'Execute workflow',
  formTrigger: 'Form trigger',
  form: 'Form',
  respondToWebhook: 'Webhook trigger with "Wait for completion" on',
  postgres: 'Postgres',
  mySql: 'MySQL',
  slack: 'Slack',
  googleSheets: 'Data table, or HTTP request to the Google Sheets API',
  openAi: 'LLM or Agent',
  set: 'Set fields (its raw JSON mode: rebuild the fields)',
  code: 'Code (JavaScript)',
  wait: 'Wait, or Form for a form resume',
  stopAndError: 'Stop and error',
};

export function replacementFor(type: string): string {
  const short = type.replace(/^.*\./, '');
  if (Object.hasOwn(HINTS, short)) return HINTS[short];
  if (/^@n8n\/n8n-nodes-langchain\./.test(type)) return 'LLM or Agent';
  if (/Trigger$/.test(short)) return 'Webhook trigger or Schedule trigger';
  return "HTTP request to the service's API, or Code";
}

/** Every n8n output of the original lands on the placeholder's one output, so no connection is lost. */
export function placeholderFor(node: N8nNode): Mapped {
  const replaceWith = replacementFor(node.type);
  return {
    type: 'n8n-placeholder',
    version: 1,
    params: {
      originalType: node.type.slice(0, 200),
      originalTypeVersion: node.typeVersion,
      replaceWith,
      originalParameters: node.parameters,
    },
    outputs: ['out'],
    input: 'in',
    notes: [`Replace with ${replaceWith}`],
  };
}
