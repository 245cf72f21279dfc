// Renaming the workspace (workspace.admin), on the Members page.
import { useFetcher } from '@remix-run/react';
import { useEffect, useState } from 'react';

export function WorkspaceName({ name }: { name: string }) {
  const fetcher = useFetcher<{ error?: string; ok?: boolean }>();
  const [value, setValue] = useState(name);
  useEffect(() => setValue(name), [name]);
  const busy = fetcher.state !== 'idle';
  return (
    <section className="settings-section" aria-labelledby="workspace-name-heading">
      <fetcher.Form method="post" className="inline-form">
        <input type="hidden" name="intent" value="rename" />
        <label id="workspace-name-heading" htmlFor="workspace-name" className="field-label" style={{ margin: 0 }}>
          Workspace name
        </label>
        <input
          id="workspace-name"
          className="input"
          name="name"
          required
          maxLength={100}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          style={{ maxWidth: 320 }}
        />
        {value.trim() !== name && (
          <button className="btn small primary" type="submit" disabled={busy}>
            {busy && <span className="spinner" />} Rename
          </button>
        )}
      </fetcher.Form>
      {fetcher.data?.error && (
        <div className="error-text" role="alert">
          {fetcher.data.error}
        </div>
      )}
    </section>
  );
}
