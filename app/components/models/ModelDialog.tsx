// Register or edit one model, in a modal dialog: name, provider, the provider's credential (or, for a local model,
// the .gguf file's name in the models folder), prices, and for local models the concurrency. The API names the field
// it refuses (`error.field`), and the message is shown beside that field. Talks to /api/models directly.
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { ProviderKind } from '../../../contracts/ai';
import { ApiError, apiFetch } from '../../lib/api-client';
import { CredentialPicker } from '../inspector/CredentialPicker';
import { MODEL_PLACEHOLDERS, PROVIDER_LABELS, type ModelRow } from './model-view';

/** A provider as the page's loader describes it: remote ones read a credential of one type. */
export interface ProviderInfo {
  kind: ProviderKind;
  credentialType?: string;
}

type NumberKey = 'inputPerMTok' | 'outputPerMTok' | 'perGpuSecond' | 'concurrency' | 'contextLength';

interface Draft {
  name: string;
  provider: ProviderKind;
  credentialId: string | undefined;
  model: string;
  /** Number fields as typed; empty means the server's default. */
  numbers: Record<NumberKey, string>;
}

const text = (n: number | undefined) => (n === undefined ? '' : String(n));

function draftOf(editing: ModelRow | null, providers: ProviderInfo[]): Draft {
  return {
    name: editing?.name ?? '',
    provider: editing?.provider ?? providers[0]?.kind ?? 'openai-compatible',
    credentialId: editing?.credentialId,
    model: editing?.model ?? '',
    numbers: {
      inputPerMTok: text(editing?.prices.inputPerMTok || undefined),
      outputPerMTok: text(editing?.prices.outputPerMTok || undefined),
      perGpuSecond: text(editing?.prices.perGpuSecond || undefined),
      concurrency: text(editing && editing.provider === 'local-gguf' ? editing.concurrency : undefined),
      contextLength: text(editing?.contextLength),
    },
  };
}

/** The request body: numbers left empty are left out, so the registry's defaults (free, one at a time) apply. */
function bodyOf(draft: Draft) {
  const num = (key: NumberKey) => (draft.numbers[key].trim() === '' ? undefined : Number(draft.numbers[key]));
  const local = draft.provider === 'local-gguf';
  return {
    name: draft.name,
    provider: draft.provider,
    model: draft.model,
    ...(local ? {} : { credentialId: draft.credentialId }),
    prices: {
      inputPerMTok: num('inputPerMTok'),
      outputPerMTok: num('outputPerMTok'),
      perGpuSecond: num('perGpuSecond'),
    },
    ...(local && num('concurrency') !== undefined ? { concurrency: num('concurrency') } : {}),
    ...(num('contextLength') !== undefined ? { contextLength: num('contextLength') } : {}),
  };
}

export function ModelDialog(props: {
  /** The model being edited; null to register one. */
  editing: ModelRow | null;
  providers: ProviderInfo[];
  /** Where local .gguf files are looked up, for the hint. */
  modelsDir: string;
  onSaved(model: ModelRow): void;
  onClose(): void;
}) {
  const { editing, providers } = props;
  const dialog = useRef<HTMLDialogElement>(null);
  const [draft, setDraft] = useState<Draft>(() => draftOf(editing, providers));
  const [fieldError, setFieldError] = useState<{ field: string; message: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const local = draft.provider === 'local-gguf';
  const credentialType = providers.find((p) => p.kind === draft.provider)?.credentialType;

  useEffect(() => {
    const el = dialog.current;
    if (el && !el.open) el.showModal();
  }, []);

  const set = (change: Partial<Draft>) => setDraft((d) => ({ ...d, ...change }));
  const setNumber = (key: NumberKey, value: string) =>
    setDraft((d) => ({ ...d, numbers: { ...d.numbers, [key]: value } }));

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setSaving(true);
    setError(null);
    setFieldError(null);
    try {
      const { model } = await apiFetch<{ model: ModelRow }>(editing ? `/api/models/${editing.id}` : '/api/models', {
        method: editing ? 'PUT' : 'POST',
        body: bodyOf(draft),
      });
      props.onSaved(model);
    } catch (err) {
      const field = err instanceof ApiError && typeof err.body.field === 'string' ? err.body.field : undefined;
      const message = err instanceof Error ? err.message : String(err);
      if (field) setFieldError({ field, message });
      else setError(message);
    } finally {
      setSaving(false);
    }
  };

  /** A labelled field with the server's refusal beside it when it names this field. */
  const field = (key: string, label: string, control: ReactNode, hint?: ReactNode, required = false) => {
    const refused = fieldError?.field === key ? fieldError.message : undefined;
    return (
      <div className="field" data-field={key}>
        <label htmlFor={`model-${key}`}>
          {label}
          {required && (
            <span className="required" aria-hidden="true">
              *
            </span>
          )}
        </label>
        {control}
        {refused ? (
          <span className="error-text" id={`model-${key}-error`} role="alert">
            {refused}
          </span>
        ) : (
          hint && <span className="hint">{hint}</span>
        )}
      </div>
    );
  };
  const invalid = (key: string) =>
    fieldError?.field === key ? { 'aria-invalid': true, 'aria-describedby': `model-${key}-error` } : {};
  const numberInput = (key: NumberKey, opts: { placeholder: string; step?: string; errorKey?: string }) => (
    <input
      id={`model-${key}`}
      className={`input${fieldError?.field === (opts.errorKey ?? key) ? ' invalid' : ''}`}
      type="number"
      min={0}
      step={opts.step ?? 'any'}
      inputMode="decimal"
      placeholder={opts.placeholder}
      value={draft.numbers[key]}
      {...invalid(opts.errorKey ?? key)}
      onChange={(e) => setNumber(key, e.target.value)}
    />
  );

  return (
    <dialog ref={dialog} className="confirm model-dialog" onClose={props.onClose} aria-labelledby="model-dialog-title">
      <form onSubmit={save} noValidate>
        <h2 id="model-dialog-title">{editing ? `Edit “${editing.name}”` : 'Add a model'}</h2>
        {field(
          'name',
          'Name',
          <input
            id="model-name"
            className={`input${fieldError?.field === 'name' ? ' invalid' : ''}`}
            value={draft.name}
            placeholder="Fast local model"
            autoFocus
            {...invalid('name')}
            onChange={(e) => set({ name: e.target.value })}
          />,
          'What nodes show in their model picker.',
          true,
        )}
        {field(
          'provider',
          'Provider',
          <select
            id="model-provider"
            className="select"
            value={draft.provider}
            {...invalid('provider')}
            onChange={(e) => set({ provider: e.target.value as ProviderKind, credentialId: undefined })}
          >
            {providers.map((p) => (
              <option key={p.kind} value={p.kind}>
                {PROVIDER_LABELS[p.kind]}
              </option>
            ))}
          </select>,
          local
            ? 'Runs inside Baton’s gpu workers with llama.cpp; no server or key needed.'
            : `Reached over HTTP with a ${PROVIDER_LABELS[draft.provider]} credential (base URL and key).`,
        )}
        {!local &&
          credentialType &&
          field(
            'credentialId',
            'Credential',
            <CredentialPicker
              key={draft.provider}
              id="model-credentialId"
              label="Credential"
              types={[credentialType]}
              value={draft.credentialId}
              readOnly={false}
              invalid={fieldError?.field === 'credentialId'}
              describedBy={fieldError?.field === 'credentialId' ? 'model-credentialId-error' : undefined}
              onChange={(id) => set({ credentialId: id })}
            />,
            undefined,
            true,
          )}
        {field(
          'model',
          local ? 'Model file' : 'Model',
          <input
            id="model-model"
            className={`input mono${fieldError?.field === 'model' ? ' invalid' : ''}`}
            value={draft.model}
            placeholder={MODEL_PLACEHOLDERS[draft.provider]}
            spellCheck={false}
            autoComplete="off"
            {...invalid('model')}
            onChange={(e) => set({ model: e.target.value })}
          />,
          local ? (
            <>
              The name of a <code>.gguf</code> file in the models folder of the gpu workers ({props.modelsDir}, or{' '}
              <code>BATON_MODELS_DIR</code>), without any folder part.
            </>
          ) : (
            'The model id the provider expects.'
          ),
          true,
        )}
        <fieldset
          className="model-prices"
          aria-describedby={fieldError?.field === 'prices' ? 'model-prices-error' : undefined}
        >
          <legend>Prices in US dollars (empty: free)</legend>
          <div className="model-number-row">
            {field(
              'inputPerMTok',
              'Input, per 1M tokens',
              numberInput('inputPerMTok', { placeholder: '0', errorKey: 'prices' }),
            )}
            {field(
              'outputPerMTok',
              'Output, per 1M tokens',
              numberInput('outputPerMTok', { placeholder: '0', errorKey: 'prices' }),
            )}
            {field(
              'perGpuSecond',
              'Per GPU-second',
              numberInput('perGpuSecond', { placeholder: '0', errorKey: 'prices' }),
            )}
          </div>
          {fieldError?.field === 'prices' && (
            <span className="error-text" id="model-prices-error" role="alert">
              {fieldError.message}
            </span>
          )}
        </fieldset>
        <div className="model-number-row">
          {local &&
            field(
              'concurrency',
              'Concurrency',
              numberInput('concurrency', { placeholder: '1', step: '1' }),
              'Calls at once on each worker; the others wait their turn.',
            )}
          {field(
            'contextLength',
            'Context length',
            numberInput('contextLength', { placeholder: local ? 'from the file' : 'from the probe', step: '1' }),
            local
              ? 'Tokens per call; empty: what the file was trained on, capped.'
              : 'Tokens; empty: what the probe finds.',
          )}
        </div>
        {editing && (
          <p className="hint">
            Changing the provider, model or credential forgets the last probe: probe again after saving.
          </p>
        )}
        {error && (
          <div className="banner error" role="alert">
            {error}
          </div>
        )}
        <div className="dialog-actions">
          <button className="btn" type="button" onClick={props.onClose} disabled={saving}>
            Cancel
          </button>
          <button className="btn primary" type="submit" disabled={saving}>
            {saving && <span className="spinner" />} {editing ? 'Save' : 'Add model'}
          </button>
        </div>
      </form>
    </dialog>
  );
}
