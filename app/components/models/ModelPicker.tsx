// A select of the workspace's registered models for `model` params (LLM and Agent nodes, their fallback). Each
// option names its provider; the picked model's probe badges show under it, and a link opens the Models page in a
// new tab (to add one when the list is empty), whose additions Reload (ResourcePicker) picks up.
import { ResourcePicker, type PickerProps } from '../inspector/ResourcePicker';
import { ModelBadges } from './ModelBadges';
import { PROVIDER_LABELS, type ModelRow } from './model-view';

/** Options read "Name · Provider": two models of one name on two providers stay apart. */
const modelsOf = (body: unknown): ModelRow[] =>
  (body as { models: ModelRow[] }).models.map((m) => ({
    ...m,
    name: `${m.name} · ${PROVIDER_LABELS[m.provider] ?? m.provider}`,
  }));

export function ModelPicker(props: PickerProps) {
  return (
    <ResourcePicker {...props} url="/api/models" items={modelsOf} noun="model" empty="No model registered yet.">
      {(picked) => (
        <>
          {picked && (
            <span className="model-picked" data-testid="model-picked">
              <span className="hint mono">{picked.model}</span>
              <ModelBadges model={picked} notes={false} />
            </span>
          )}
          <a className="link-button" href="/models" target="_blank" rel="noreferrer">
            {picked ? 'Models page…' : 'Add a model…'}
          </a>
        </>
      )}
    </ResourcePicker>
  );
}
