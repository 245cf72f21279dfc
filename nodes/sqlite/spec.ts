// Reads and writes a SQLite database file of the workspace (BATON_SQLITE_DIR/<workspace>/, by default under
// BATON_HOME): select, insert, update, upsert and delete helpers, or one SQL statement with bound parameters.
// Writes happen once per step (docs/decisions/045-sql-nodes.md).
import { z } from 'zod';
import { defineNode, param } from '../define';
import { checkOperation, operationParams } from '../sql/params';

const file = param.text({
  label: 'Database file',
  description: "A file in this workspace's SQLite folder on the worker, such as hr.db or data/hr.db; writes create it.",
  placeholder: 'hr.db',
  required: true,
  maxLength: 255,
});

export const spec = defineNode({
  type: 'sqlite',
  version: 1,
  title: 'SQLite',
  description:
    "Select, insert, update, upsert or delete rows in a workspace's SQLite file, or run a query with bound parameters.",
  category: 'integration',
  icon: 'database',
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [{ id: 'out', label: 'Result' }],
  params: {
    file: {
      ...file,
      schema: file.schema.superRefine((name, ctx) => {
        if (name.startsWith('/') || name.split('/').includes('..'))
          ctx.addIssue({ code: z.ZodIssueCode.custom, message: "must stay inside the workspace's SQLite folder" });
      }),
    },
    ...operationParams({ placeholder: '?', exampleQuery: 'SELECT id, name FROM employees WHERE email = ?' }),
  },
  runtime: { kind: 'activity', taskQueue: 'default' },
  // Above the default statement timeout (30 s), with room for starting SQLite's process and several insert batches.
  policy: { timeoutMs: 120_000 },
  check: checkOperation,
});
