// Answers to "which data table should this workflow use" (the Tables step of a marketplace install and of "use
// template", docs/decisions/069): per table need, create a table of the caller's workspace with the need's columns,
// or use an existing one of that workspace. Existing ids are all checked before anything is created, so a refusal
// leaves no table behind.
import { z } from 'zod';
import type { TemplateTable } from '../../contracts/templates';
import { createDataTable, deleteDataTable, getDataTable } from '../../db/data-tables';
import type { Caller } from './caller.server';
import { auditTable } from './data-table-api.server';

export const tableChoiceSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('create'), name: z.string().max(1000) }).strict(),
  z.object({ mode: z.literal('existing'), tableId: z.string().max(100) }).strict(),
]);

export type TableChoiceAnswer = z.output<typeof tableChoiceSchema>;

/** A table need as the choices name it: its key, display name and the columns a new table gets. */
export type TableNeed = Pick<TemplateTable, 'key' | 'name' | 'columns'>;

/** A refusal naming the table need; `key` lets a wizard go back to it. */
export class TableChoiceError extends Error {
  constructor(
    message: string,
    readonly key: string,
  ) {
    super(message);
    this.name = 'TableChoiceError';
  }
}

/** Refuses a choice naming no need, and an existing id that is not a table of the caller's workspace. */
async function checkChoices(caller: Caller, needs: TableNeed[], choices: Record<string, TableChoiceAnswer>) {
  for (const key of Object.keys(choices)) {
    if (!needs.some((n) => n.key === key))
      throw new TableChoiceError(
        `Table "${key.slice(0, 64)}" is not a table this workflow needs (it needs: ${needs.map((n) => n.key).join(', ') || 'none'}).`,
        key,
      );
  }
  for (const need of needs) {
    const choice = choices[need.key];
    if (choice?.mode === 'existing' && !(await getDataTable(caller.scope, choice.tableId)))
      throw new TableChoiceError(
        `Table "${need.key}" (${need.name}): ${choice.tableId.slice(0, 100)} is not a data table of this workspace; ` +
          'create the table or pick one of this workspace’s tables.',
        need.key,
      );
  }
}

/**
 * The data table id for each need that has a choice (a need without one stays unset), creating the tables chosen as
 * new with the need's columns. `undo` deletes what was created, for a caller whose later step fails.
 */
export async function resolveTableChoices(
  caller: Caller,
  ip: string,
  needs: TableNeed[],
  choices: Record<string, TableChoiceAnswer>,
): Promise<{ ids: Record<string, string>; undo(): Promise<void> }> {
  await checkChoices(caller, needs, choices);
  const ids: Record<string, string> = {};
  const created: string[] = [];
  const undo = async () => {
    for (const id of created) await deleteDataTable(caller.scope, id);
  };
  try {
    for (const need of needs) {
      const choice = choices[need.key];
      if (!choice) continue;
      if (choice.mode === 'existing') {
        ids[need.key] = choice.tableId;
        continue;
      }
      const table = await createDataTable(caller.scope, { name: choice.name, columns: need.columns }).catch((err) => {
        throw new TableChoiceError(
          `Table "${need.key}" (${need.name}) was not created: ${(err as Error).message}`,
          need.key,
        );
      });
      created.push(table.id);
      await auditTable(caller, ip, 'data-table.create', table, {
        columns: table.columns.map((c) => `${c.name} (${c.type})`),
      });
      ids[need.key] = table.id;
    }
  } catch (err) {
    await undo();
    throw err;
  }
  return { ids, undo };
}
