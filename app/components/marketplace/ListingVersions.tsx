// A listing's versions, newest first, each with its date and changelog (markdown, rendered strictly).
import type { ListingVersionView } from '../../../contracts/marketplace';
import { dateTime } from '../../lib/format';
import { MarkdownText } from './MarkdownText';

export function ListingVersions({ versions }: { versions: ListingVersionView[] }) {
  return (
    <section className="card listing-versions" aria-labelledby="versions-title">
      <h2 id="versions-title">Versions</h2>
      {versions.length === 0 ? (
        <p className="muted">No version is published yet.</p>
      ) : (
        <ol>
          {versions.map((v, i) => (
            <li key={v.version}>
              <div className="listing-version-head">
                <strong>v{v.version}</strong>
                {i === 0 && <span className="badge accent">Latest</span>}
                <span className="muted">{dateTime(v.createdAt)}</span>
              </div>
              {v.changelog.trim() ? (
                <MarkdownText source={v.changelog} className="listing-changelog" />
              ) : (
                <p className="muted">No changelog.</p>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
