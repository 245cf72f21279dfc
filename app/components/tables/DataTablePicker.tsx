// A select of the workspace's data tables for the Data table node's inspector. The picked table's columns are
// listed under it (what Values and Conditions may name). "New table…" opens the Tables page in a new tab, and
// Reload (ResourcePicker) picks up what was made there.
import { COLUMN_TYPE_LABELS, type DataTableColumn } from '../../../contracts/data-tables';
import { ResourcePicker, type PickerProps } from '../inspector/ResourcePicker';

interface Option {
  id: string;
  name: string;
  columns: DataTableColumn[];
  rowCount: number;
}

const tablesOf = (body: unknown) => (body as { tables: Option[] }).tables;

export function DataTablePicker(props: PickerProps) {
  return (
    <ResourcePicker {...props} url="/api/data-tables" items={tablesOf} noun="table" empty="No data table yet.">
      {(picked) => (
        <>
          {picked && (
            <span className="hint" data-testid="data-table-columns">
              {picked.columns.length === 0
                ? 'This table has no columns yet.'
                : `Columns: ${picked.columns.map((c) => `${c.name} (${COLUMN_TYPE_LABELS[c.type].toLowerCase()})`).join(', ')}`}
            </span>
          )}
          <a
            className="link-button"
            href={picked ? `/tables/${picked.id}` : '/tables'}
            target="_blank"
            rel="noreferrer"
          >
            {picked ? 'Open table…' : 'New table…'}
          </a>
        </>
      )}
    </ResourcePicker>
  );
}
