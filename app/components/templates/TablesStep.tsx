// Wizard step 3: for each data table the template (or listing) uses, create it with the listed columns (the default)
// or pick an existing table of the workspace. The server creates the new tables with the workflow, so a refused
// workflow leaves none behind; this step only checks that each choice is complete.
import { useEffect, useState } from 'react';
import type { DataTableView } from '../../../contracts/data-tables';
import { COLUMN_TYPE_LABELS } from '../../../contracts/data-tables';
import type { TemplateTable } from '../../../contracts/templates';
import { apiFetch } from '../../lib/api-client';
import { errorText, type TableChoice } from './wizard-types';

/** What is wrong with each table choice before the server sees it: an empty name, no existing table picked. */
export function tableProblems(needs: TemplateTable[], chosen: Record<string, TableChoice>): Record<string, string> {
  const found: Record<string, string> = {};
  for (const need of needs) {
    const choice = chosen[need.key] ?? { mode: 'create', name: need.name };
    if (choice.mode === 'create' && !choice.name.trim()) found[need.key] = `Name the new table for “${need.name}”.`;
    if (choice.mode === 'existing' && !choice.id) found[need.key] = `Pick a table for “${need.name}”, or create one.`;
  }
  return found;
}

/** The request's `tables`: the choices as the server takes them (table-choices.server.ts), existing ones by `tableId`. */
export const tableChoicesBody = (chosen: Record<string, TableChoice>) =>
  Object.fromEntries(
    Object.entries(chosen).map(([key, c]) => [
      key,
      c.mode === 'create' ? { mode: 'create', name: c.name.trim() } : { mode: 'existing', tableId: c.id },
    ]),
  );

export function TablesStep(props: {
  needs: TemplateTable[];
  chosen: Record<string, TableChoice>;
  problems: Record<string, string>;
  onChoose(key: string, choice: TableChoice): void;
}) {
  const [tables, setTables] = useState<DataTableView[] | { failed: string } | null>(null);
  useEffect(() => {
    let live = true;
    apiFetch<{ tables: DataTableView[] }>('/api/data-tables')
      .then((r) => live && setTables(r.tables))
      .catch((err) => live && setTables({ failed: errorText(err) }));
    return () => {
      live = false;
    };
  }, []);
  const existing = Array.isArray(tables) ? tables : [];

  return (
    <div className="wizard-fields">
      {tables && !Array.isArray(tables) && (
        <div className="banner error" role="alert">
          Could not load this workspace’s tables: {tables.failed}
        </div>
      )}
      {props.needs.map((need) => {
        const choice = props.chosen[need.key] ?? { mode: 'create', name: need.name };
        const problem = props.problems[need.key];
        const group = `template-table-${need.key}`;
        return (
          <fieldset className="wizard-table" key={need.key} aria-describedby={`${group}-note`}>
            <legend>{need.name}</legend>
            <p className="hint">
              Columns:{' '}
              {need.columns
                .map(
                  (c) =>
                    `${c.name} (${COLUMN_TYPE_LABELS[c.type]}${c.required ? ', required' : ''}${c.unique ? ', unique' : ''})`,
                )
                .join(', ')}
            </p>
            <label className="wizard-radio">
              <input
                type="radio"
                name={group}
                checked={choice.mode === 'create'}
                onChange={() => props.onChoose(need.key, { mode: 'create', name: need.name })}
              />
              Create a new table named
              <input
                className="input wizard-inline-input"
                aria-label={`Name of the new table for ${need.name}`}
                value={choice.mode === 'create' ? choice.name : need.name}
                disabled={choice.mode !== 'create'}
                onChange={(e) => props.onChoose(need.key, { mode: 'create', name: e.target.value })}
              />
            </label>
            <label className="wizard-radio">
              <input
                type="radio"
                name={group}
                checked={choice.mode === 'existing'}
                disabled={existing.length === 0}
                onChange={() => props.onChoose(need.key, { mode: 'existing', id: existing[0]?.id ?? '' })}
              />
              Use an existing table
              <select
                className="select wizard-inline-input"
                aria-label={`Existing table for ${need.name}`}
                disabled={choice.mode !== 'existing'}
                value={choice.mode === 'existing' ? choice.id : ''}
                onChange={(e) => props.onChoose(need.key, { mode: 'existing', id: e.target.value })}
              >
                {choice.mode !== 'existing' && (
                  <option value="">{existing.length ? 'Pick a table' : 'No tables yet'}</option>
                )}
                {existing.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name}
                  </option>
                ))}
              </select>
            </label>
            {problem ? (
              <span className="error-text" id={`${group}-note`} role="alert">
                {problem}
              </span>
            ) : (
              <span className="hint" id={`${group}-note`}>
                An existing table should have these columns, or the workflow’s writes are refused naming the column.
              </span>
            )}
          </fieldset>
        );
      })}
    </div>
  );
}
