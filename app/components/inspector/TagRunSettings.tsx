// The node settings' "Tag run" section: key → value-expression pairs (NodePolicy.tags) that, once the node has
// succeeded, are evaluated on its output and set as tags of the run, searchable on the runs page.
import { TAG_LIMITS, tagKeyProblem, type TagRule } from '../../../contracts/run-tags';

interface Props {
  nodeId: string;
  tags: TagRule[];
  onChange(tags: TagRule[]): void;
}

export function TagRunSettings({ nodeId, tags, onChange }: Props) {
  const update = (i: number, patch: Partial<TagRule>) =>
    onChange(tags.map((t, k) => (k === i ? { ...t, ...patch } : t)));
  return (
    <div className="tag-run">
      <p className="hint">
        When this node succeeds, each value is evaluated on its output (<code>{'{{ $.employeeId }}'}</code>) and set as
        a tag of the run. Search runs by <code>key=value</code> on the runs page.
      </p>
      {tags.map((tag, i) => {
        const problem = tag.key === '' ? undefined : tagKeyProblem(tag.key);
        return (
          <div className="tag-run-row" key={i}>
            <input
              className={`input${problem ? ' invalid' : ''}`}
              aria-label={`Tag ${i + 1} key`}
              placeholder="employeeId"
              value={tag.key}
              maxLength={TAG_LIMITS.keyLength}
              onChange={(e) => update(i, { key: e.target.value })}
            />
            <input
              className="input mono"
              aria-label={`Tag ${i + 1} value`}
              placeholder="{{ $.id }}"
              value={tag.value}
              maxLength={TAG_LIMITS.templateLength}
              onChange={(e) => update(i, { value: e.target.value })}
            />
            <button
              type="button"
              className="btn ghost small"
              aria-label={`Remove tag ${i + 1}`}
              onClick={() => onChange(tags.filter((_, k) => k !== i))}
            >
              ✕
            </button>
            {problem && (
              <span className="error-text" id={`tag-${nodeId}-${i}-error`} role="alert">
                Key {problem}.
              </span>
            )}
          </div>
        );
      })}
      {tags.length < TAG_LIMITS.perNode && (
        <button type="button" className="btn small" onClick={() => onChange([...tags, { key: '', value: '' }])}>
          Add tag
        </button>
      )}
    </div>
  );
}
