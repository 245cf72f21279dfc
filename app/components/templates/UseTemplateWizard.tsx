// "Use template": inputs, then credentials, then tables (steps a template does not need are left out), then the
// workflow's name. The server builds the workflow from the template and these answers, creating the tables chosen as
// new (none is left behind if it refuses), and returns its id; the wizard then opens it in the editor. A refusal
// naming an input, credential or table goes back to that step.
import { useNavigate } from '@remix-run/react';
import { useState, type FormEvent } from 'react';
import { ApiError, apiFetch } from '../../lib/api-client';
import { CredentialsStep } from './CredentialsStep';
import { InputsStep, inputProblems } from './InputsStep';
import { tableChoicesBody, tableProblems, TablesStep } from './TablesStep';
import { errorText, type TableChoice, type WizardAnswers, type WizardTemplate } from './wizard-types';
import { WizardSteps } from './WizardSteps';

type Step = 'inputs' | 'credentials' | 'tables' | 'name';
const STEP_TITLES: Record<Step, string> = {
  inputs: 'Settings',
  credentials: 'Credentials',
  tables: 'Data tables',
  name: 'Create',
};

function initialAnswers(t: WizardTemplate): WizardAnswers {
  return {
    name: t.title,
    inputs: Object.fromEntries(t.inputs.map((i) => [i.key, i.default === undefined ? '' : String(i.default)])),
    credentials: {},
    tables: Object.fromEntries(t.tables.map((x) => [x.key, { mode: 'create', name: x.name } as TableChoice])),
  };
}

export function UseTemplateWizard({ template, onCancel }: { template: WizardTemplate; onCancel(): void }) {
  const navigate = useNavigate();
  const steps = (['inputs', 'credentials', 'tables', 'name'] as Step[]).filter(
    (s) => s === 'name' || template[s].length > 0,
  );
  const [index, setIndex] = useState(0);
  const step = steps[index];
  const [answers, setAnswers] = useState(() => initialAnswers(template));
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const goTo = (next: Step) => setIndex(steps.indexOf(next));

  const create = async () => {
    setBusy('Creating the workflow…');
    try {
      const { workflow } = await apiFetch<{ workflow: { id: string } }>(`/api/templates/${template.slug}/workflows`, {
        method: 'POST',
        body: {
          name: answers.name,
          inputs: answers.inputs,
          credentials: Object.fromEntries(Object.entries(answers.credentials).filter(([, id]) => id)),
          tables: tableChoicesBody(answers.tables),
        },
      });
      navigate(`/workflows/${workflow.id}`);
    } catch (err) {
      const field =
        err instanceof ApiError ? (err.body.field as { kind?: string; key?: string } | undefined) : undefined;
      const back: Record<string, Step> = { input: 'inputs', credential: 'credentials', table: 'tables' };
      if (field?.kind && field.key && back[field.kind] && steps.includes(back[field.kind])) {
        setProblems({ [field.key]: errorText(err) });
        goTo(back[field.kind]);
      }
      setError(errorText(err));
      setBusy(null);
    }
  };

  const next = (event: FormEvent) => {
    event.preventDefault();
    // The inline credential form is portalled, but React still bubbles its submit through this form's handler.
    if (event.target !== event.currentTarget) return;
    setError(null);
    if (step === 'inputs') {
      const found = inputProblems(template.inputs, answers.inputs);
      setProblems(found);
      if (Object.keys(found).length) return setError('Some settings need a look: see the messages under the fields.');
    }
    if (step === 'tables') {
      const found = tableProblems(template.tables, answers.tables);
      setProblems(found);
      if (Object.keys(found).length) return setError('A table needs a look: see the message under it.');
    }
    if (step === 'name') {
      if (!answers.name.trim()) return setProblems({ name: 'Give the workflow a name.' });
      return void create();
    }
    setProblems({});
    setIndex(index + 1);
  };

  return (
    <section className="card wizard" aria-labelledby="wizard-title">
      <h2 id="wizard-title">Use “{template.title}”</h2>
      <WizardSteps steps={steps} titles={STEP_TITLES} index={index} />
      <form onSubmit={next} noValidate>
        <h3 className="wizard-step-title">
          Step {index + 1} of {steps.length}: {STEP_TITLES[step]}
        </h3>
        {step === 'inputs' && (
          <InputsStep
            inputs={template.inputs}
            values={answers.inputs}
            problems={problems}
            onChange={(key, value) => setAnswers((a) => ({ ...a, inputs: { ...a.inputs, [key]: value } }))}
          />
        )}
        {step === 'credentials' && (
          <CredentialsStep
            needs={template.credentials}
            chosen={answers.credentials}
            problems={problems}
            onChoose={(key, id) => setAnswers((a) => ({ ...a, credentials: { ...a.credentials, [key]: id } }))}
          />
        )}
        {step === 'tables' && (
          <TablesStep
            needs={template.tables}
            chosen={answers.tables}
            problems={problems}
            onChoose={(key, choice) => setAnswers((a) => ({ ...a, tables: { ...a.tables, [key]: choice } }))}
          />
        )}
        {step === 'name' && (
          <div className="wizard-fields">
            <div className="field">
              <label htmlFor="template-workflow-name">Workflow name</label>
              <input
                id="template-workflow-name"
                className={`input${problems.name ? ' invalid' : ''}`}
                value={answers.name}
                maxLength={200}
                onChange={(e) => setAnswers((a) => ({ ...a, name: e.target.value }))}
              />
              {problems.name && (
                <span className="error-text" role="alert">
                  {problems.name}
                </span>
              )}
            </div>
            {template.credentials.some((c) => !answers.credentials[c.key]) && (
              <div className="banner warning">
                Some credentials are not chosen yet: the workflow is saved as a draft, and you pick them on its nodes
                before it can run.
              </div>
            )}
          </div>
        )}
        {error && (
          <div className="banner error" role="alert">
            {error}
          </div>
        )}
        <div className="wizard-actions">
          <button className="btn ghost" type="button" onClick={onCancel} disabled={busy !== null}>
            Cancel
          </button>
          <span className="spacer" />
          {busy && (
            <span className="muted" role="status">
              <span className="spinner" /> {busy}
            </span>
          )}
          {index > 0 && (
            <button className="btn" type="button" onClick={() => setIndex(index - 1)} disabled={busy !== null}>
              Back
            </button>
          )}
          <button className="btn primary" type="submit" disabled={busy !== null}>
            {step === 'name' ? 'Create workflow' : 'Next'}
          </button>
        </div>
      </form>
    </section>
  );
}
