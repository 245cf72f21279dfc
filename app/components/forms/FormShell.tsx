// The frame of every hosted form page (app/routes/form.*), and the pages around the form itself: the end of the
// form (a message, or another site), a page that no longer takes answers, and the answers a refused post carried.
import { useEffect, type ReactNode } from 'react';
import type { FormEnding, FormField } from '../../../contracts/form-page';
import { BrandMark } from '../ui/BrandMark';

export function FormShell({ children }: { children: ReactNode }) {
  return (
    <main className="center-page form-page">
      <div className="card form-page-card">{children}</div>
      <p className="form-page-footer muted">
        <BrandMark size={16} /> A form by Baton
      </p>
    </main>
  );
}

/** The form is complete: its message, or a move to its redirect address (a link when scripts do not run). */
export function FormEnd({ ending, title }: { ending: FormEnding; title: string }) {
  const url = ending.kind === 'redirect' ? ending.url : undefined;
  useEffect(() => {
    if (url) window.location.assign(url);
  }, [url]);
  return (
    <div className="form-page-end" role="status" data-testid="form-done">
      <h1>{title}</h1>
      {ending.kind === 'message' ? (
        <p className="form-page-description">{ending.text}</p>
      ) : (
        <>
          <noscript>
            <meta httpEquiv="refresh" content={`0;url=${ending.url}`} />
          </noscript>
          <p>
            Your answers were sent. <a href={ending.url}>Continue</a>
          </p>
        </>
      )}
    </div>
  );
}

/** What a refused post carried, so that nobody loses what they typed. */
export function AnswersEcho({ fields, values }: { fields: FormField[]; values: Record<string, unknown> }) {
  const shown = fields.filter((f) => f.type !== 'file' && values[f.key] !== undefined && values[f.key] !== '');
  if (shown.length === 0) return null;
  return (
    <section className="form-page-echo" aria-label="Your answers">
      <p className="muted">Your answers were not sent. Here they are, to keep:</p>
      <dl>
        {shown.map((f) => (
          <div key={f.key}>
            <dt>{f.label}</dt>
            <dd>{typeof values[f.key] === 'boolean' ? (values[f.key] ? 'Yes' : 'No') : String(values[f.key])}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
