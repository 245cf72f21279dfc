// Reads and writes a PostgreSQL database through a PostgreSQL credential: select, insert, update, upsert and delete
// helpers, or one SQL statement with bound parameters. Writes happen once per step (docs/decisions/045-sql-nodes.md).
import { defineNode, param } from '../define';
import { checkOperation, operationParams } from '../sql/params';

export const spec = defineNode({
  type: 'postgres',
  version: 1,
  title: 'PostgreSQL',
  description:
    'Select, insert, update, upsert or delete rows, or run a query with bound parameters; outputs { rows, rowCount, truncated }.',
  category: 'integration',
  icon: 'database',
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [{ id: 'out', label: 'Result' }],
  params: {
    credential: param.credential({
      label: 'PostgreSQL credential',
      description: 'The server, database and account; private addresses need BATON_HTTP_ALLOW_HOSTS.',
      placeholder: 'Pick a PostgreSQL credential',
      types: ['postgres'],
      required: true,
    }),
    ...operationParams({ placeholder: '$1', exampleQuery: 'SELECT id, name FROM employees WHERE email = $1' }),
  },
  runtime: { kind: 'activity', taskQueue: 'default' },
  // Above the default statement timeout (30 s), with room for connecting and several insert batches.
  policy: { timeoutMs: 120_000 },
  check: checkOperation,
});
