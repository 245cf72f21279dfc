// The Edit/Rename and Delete buttons at the end of a listed item's row (credentials, data tables), each labelled
// with the item's name for screen readers and tests.
export function RowActions(props: { name: string; editLabel: string; onEdit(): void; onDelete(): void }) {
  return (
    <>
      <button
        className="btn ghost small"
        type="button"
        aria-label={`${props.editLabel} ${props.name}`}
        onClick={props.onEdit}
      >
        {props.editLabel}
      </button>
      <button className="btn ghost small" type="button" aria-label={`Delete ${props.name}`} onClick={props.onDelete}>
        Delete
      </button>
    </>
  );
}
