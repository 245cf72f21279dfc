// What a model's probe found, as badges (the Models page and the inspector's model picker): "Tools", "JSON: …",
// "Context 8k", "Vision"; "Not probed" before any probe, and the probe's error in red. The probe's notes open
// under a "notes" disclosure rather than only on hover, so keyboards and screen readers reach them too.
import { capabilityBadges, type ModelRow } from './model-view';

export function ModelBadges({
  model,
  notes = true,
}: {
  model: Pick<ModelRow, 'capabilities' | 'contextLength' | 'probeError' | 'probedAt'>;
  /** Show the probe's notes and full error (the page); the picker keeps to the badges. */
  notes?: boolean;
}) {
  if (model.probeError)
    return (
      <div className="model-badges">
        <span className="badge failed" title={model.probeError}>
          Probe failed
        </span>
        {notes && <span className="error-text model-probe-error">{model.probeError}</span>}
      </div>
    );
  if (!model.capabilities)
    return (
      <div className="model-badges">
        <span className="badge" title="Probe the model to see what it supports.">
          Not probed
        </span>
      </div>
    );
  const found = model.capabilities.notes;
  return (
    <div className="model-badges">
      {capabilityBadges(model).map((b) => (
        <span key={b.text} className={`badge${b.tone === 'on' ? ' succeeded' : ''}`} title={b.title}>
          {b.text}
        </span>
      ))}
      {notes && found.length > 0 && (
        <details className="model-notes">
          <summary>
            {found.length} note{found.length === 1 ? '' : 's'}
          </summary>
          <ul>
            {found.map((note, i) => (
              <li key={i}>{note}</li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
