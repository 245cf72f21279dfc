// The data under review as readable JSON, and (when the reviewer may change it) a JSON editor for the copy they
// approve. The textarea is named `data` so that a plain form post (the email link page) carries it.
import { dataJson } from './approval-text';

export type DataDraft = { editing: false } | { editing: true; text: string };

/** The edited data to send, `undefined` when unchanged, or the parse error to show. */
export function editedData(draft: DataDraft, original: unknown): { data?: unknown; error?: string } {
  if (!draft.editing || draft.text === dataJson(original)) return {};
  try {
    const data: unknown = JSON.parse(draft.text);
    return JSON.stringify(data) === JSON.stringify(original) ? {} : { data };
  } catch (err) {
    return { error: `The edited data is not valid JSON: ${(err as Error).message}` };
  }
}

export function DataReview(props: {
  id: string;
  data: unknown;
  draft: DataDraft;
  editable: boolean;
  onDraft(draft: DataDraft): void;
}) {
  const { id, data, draft, editable } = props;
  const text = dataJson(data);
  return (
    <div className="approval-data">
      <div className="approval-data-head">
        <span className="field-label" id={`${id}-label`}>
          Data under review
        </span>
        {editable &&
          (draft.editing ? (
            <button className="btn small ghost" type="button" onClick={() => props.onDraft({ editing: false })}>
              Discard edits
            </button>
          ) : (
            <button className="btn small ghost" type="button" onClick={() => props.onDraft({ editing: true, text })}>
              Edit before approving
            </button>
          ))}
      </div>
      {draft.editing ? (
        <textarea
          id={id}
          name="data"
          className="textarea mono approval-data-editor"
          aria-labelledby={`${id}-label`}
          spellCheck={false}
          rows={Math.min(18, Math.max(4, draft.text.split('\n').length + 1))}
          value={draft.text}
          onChange={(e) => props.onDraft({ editing: true, text: e.target.value })}
        />
      ) : text ? (
        <pre className="approval-data-json" aria-labelledby={`${id}-label`} data-testid="approval-data">
          {text}
        </pre>
      ) : (
        <p className="muted">No data was attached to this request.</p>
      )}
    </div>
  );
}
