// What a listed workflow needs and may do, from its latest version's manifest: node types, credentials to map,
// the trigger's inputs, permissions (domains, browser, GPU, email) and the minimum Baton version.
import type { ListingManifest } from '../../../contracts/marketplace';
import { NodeIcon } from '../canvas/NodeIcon';

function Section({ title, empty, children }: { title: string; empty: boolean; children: React.ReactNode }) {
  return (
    <>
      <h3>{title}</h3>
      {empty ? <p className="muted">None.</p> : children}
    </>
  );
}

export function ListingManifestCard(props: {
  manifest: ListingManifest;
  nodeTypes: Record<string, { title: string; icon: string }>;
}) {
  const { manifest } = props;
  const p = manifest.permissions;
  const permissions = [
    ...(p.browser ? ['Drives a browser'] : []),
    ...(p.gpu ? ['Runs on GPU workers'] : []),
    ...(p.email ? ['Sends email'] : []),
  ];
  return (
    <section className="card listing-manifest" aria-labelledby="manifest-title">
      <h2 id="manifest-title">What it needs</h2>
      <Section title="Nodes" empty={manifest.nodes.length === 0}>
        <ul className="manifest-nodes">
          {manifest.nodes.map((n) => {
            const known = props.nodeTypes[n.type];
            return (
              <li key={`${n.type}@${n.version}`}>
                {known?.icon && <NodeIcon icon={known.icon} size={14} />}
                <span>{known?.title ?? n.type}</span>
                <span className="muted mono">
                  {n.type}@{n.version}
                </span>
              </li>
            );
          })}
        </ul>
      </Section>
      <Section title="Credentials" empty={manifest.credentials.length === 0}>
        <ul>
          {manifest.credentials.map((c) => (
            <li key={`${c.nodeId}.${c.param}`}>
              <strong>{c.nodeName}</strong>: <span className="badge">{c.types.join(' or ') || 'any'}</span>
            </li>
          ))}
        </ul>
      </Section>
      <Section title="Inputs" empty={manifest.inputs.length === 0}>
        <ul>
          {manifest.inputs.map((i) => (
            <li key={i.key}>
              <strong>{i.label}</strong>{' '}
              <span className="muted">
                ({i.type}
                {i.required ? ', required' : ''})
              </span>
            </li>
          ))}
        </ul>
      </Section>
      <h3>Permissions</h3>
      <ul className="manifest-permissions">
        <li>
          {p.domains.length === 0 ? (
            <span className="muted">Calls no web addresses.</span>
          ) : (
            <>
              Calls{' '}
              {p.domains.map((d, i) => (
                <span key={d}>
                  {i > 0 && ', '}
                  <code>{d === '*' ? 'any domain (decided at run time)' : d}</code>
                </span>
              ))}
            </>
          )}
        </li>
        {permissions.map((text) => (
          <li key={text}>{text}</li>
        ))}
      </ul>
      <h3>Baton version</h3>
      <p>{manifest.minBatonVersion} or newer</p>
    </section>
  );
}
