// A wizard's numbered step list (done, current, to come), shared by the template gallery's wizard and the
// marketplace's install wizard.
export function WizardSteps<S extends string>({
  steps,
  titles,
  index,
}: {
  steps: readonly S[];
  titles: Record<S, string>;
  /** The current step's position in `steps`. */
  index: number;
}) {
  return (
    <ol className="wizard-steps" aria-label="Steps">
      {steps.map((s, i) => (
        <li
          key={s}
          className={i === index ? 'current' : i < index ? 'done' : ''}
          aria-current={i === index ? 'step' : undefined}
        >
          <span className="wizard-step-number">{i + 1}</span> {titles[s]}
        </li>
      ))}
    </ol>
  );
}
