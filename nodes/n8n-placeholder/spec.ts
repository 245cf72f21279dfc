// Stands in for an n8n node Baton has no equivalent for (docs/decisions/062-n8n-import.md). It keeps the original
// type and parameters so nothing of the import is lost, and says what to replace it with. It exists only disabled:
// disabled nodes are compiled out (their input passes through), and an enabled one is refused by the compiler.
import { defineNode, param } from '../define';

export const spec = defineNode({
  type: 'n8n-placeholder',
  version: 1,
  title: 'n8n placeholder',
  description: 'An imported n8n node with no Baton equivalent yet. Replace it, then delete it.',
  category: 'core',
  icon: 'puzzle',
  hiddenFromPalette: true,
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [{ id: 'out', label: 'Output' }],
  params: {
    originalType: param.text({
      label: 'n8n node type',
      placeholder: 'n8n-nodes-base.googleSheets',
      maxLength: 200,
      expression: false,
    }),
    originalTypeVersion: param.number({ label: 'n8n type version', placeholder: '1', min: 0, expression: false }),
    replaceWith: param.text({
      label: 'Replace with',
      description: 'The Baton node (or nodes) that do what the n8n node did.',
      placeholder: 'HTTP request',
      maxLength: 500,
      expression: false,
    }),
    originalParameters: param.json({
      label: 'Original n8n parameters',
      description: 'Kept as they were in the n8n file, for reference while you rebuild the node.',
      placeholder: '{}',
      expression: false,
    }),
  },
  // Runs on unchecked params too (a wrong type is reported on its own field): only strings are quoted.
  check: (p) => [
    {
      path: ['originalType'],
      message:
        `this placeholder (originalType "${textOr(p.originalType, 'unknown')}") cannot run; ` +
        `replace it with ${textOr(p.replaceWith, 'a Baton node that does the same')} and delete it, or keep it disabled`,
    },
  ],
  runtime: { kind: 'activity', taskQueue: 'default', pure: true },
});

const textOr = (v: unknown, fallback: string): string =>
  typeof v === 'string' && v.trim() ? v.slice(0, 200) : fallback;
