// One template: what it does (its README, shown as text), a read-only preview of its graph on the editor's canvas,
// what it needs (settings, credentials, data tables), and "Use template", which opens the wizard beside the preview.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData, useRouteError } from '@remix-run/react';
import flowCss from '@xyflow/react/dist/style.css?url';
import { useState } from 'react';
import { describeSpec, registry } from '../../nodes/index';
import { TemplatePreview } from '../components/templates/TemplatePreview';
import { TemplateReadme } from '../components/templates/TemplateReadme';
import { UseTemplateWizard } from '../components/templates/UseTemplateWizard';
import { requirePageCaller } from '../lib/auth.server';
import { can } from '../lib/caller.server';
import { routeErrorMessage } from '../lib/format';
import { credentialNeeds, findTemplate, templateCard } from '../lib/templates.server';
import canvasCss from '../styles/canvas.css?url';
import credentialsCss from '../styles/credentials.css?url';
import editorCss from '../styles/editor.css?url';
import templatesCss from '../styles/templates.css?url';
import wizardCss from '../styles/wizard.css?url';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: flowCss },
  { rel: 'stylesheet', href: editorCss },
  { rel: 'stylesheet', href: canvasCss },
  // The wizard opens the credentials page's own form.
  { rel: 'stylesheet', href: credentialsCss },
  { rel: 'stylesheet', href: templatesCss },
  { rel: 'stylesheet', href: wizardCss },
];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.template.title ?? 'Template'} · Baton` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const caller = await requirePageCaller(request, '/templates/:slug');
  const template = findTemplate(params.slug ?? '');
  if (!template) throw new Response(`There is no template “${(params.slug ?? '').slice(0, 64)}”.`, { status: 404 });
  const used = new Set(template.document.nodes.map((n) => n.type));
  return {
    // Each credential with every type its node params accept, for the wizard's pickers.
    template: { ...template, credentials: credentialNeeds(template) },
    card: templateCard(template),
    specs: registry
      .list()
      .filter((s) => used.has(s.type))
      .map((s) => describeSpec(s)),
    canUse: can(caller, 'workflow.write'),
  };
}

export default function TemplatePage() {
  const { template, card, specs, canUse } = useLoaderData<typeof loader>();
  const [using, setUsing] = useState(false);
  return (
    <main className="page template-page">
      <div className="page-header">
        <div>
          <Link to="/templates" className="back-link">
            ← Templates
          </Link>
          <h1>{template.title}</h1>
          <p className="muted">{template.summary}</p>
          <ul className="template-tags" aria-label="Tags">
            <li className="template-category">{template.category}</li>
            {template.tags.map((tag) => (
              <li key={tag} className="template-tag">
                {tag}
              </li>
            ))}
          </ul>
        </div>
        {canUse ? (
          !using && (
            <button className="btn primary" type="button" onClick={() => setUsing(true)}>
              Use template
            </button>
          )
        ) : (
          <p className="muted template-no-use">
            Your role here cannot create workflows; an editor or admin can use it.
          </p>
        )}
      </div>
      <TemplatePreview slug={template.slug} name={template.title} document={template.document} specs={specs} />
      <div className="template-columns">
        <article className="card template-about" aria-label="About this template">
          {/* The README opens with what the template does; its description serves the gallery's search. */}
          <TemplateReadme source={template.readme} />
        </article>
        <aside className="template-side">
          {using ? (
            <UseTemplateWizard template={template} onCancel={() => setUsing(false)} />
          ) : (
            <section className="card template-needs" aria-labelledby="needs-title">
              <h2 id="needs-title">What it needs</h2>
              <h3>Settings</h3>
              {template.inputs.length ? (
                <ul>
                  {template.inputs.map((i) => (
                    <li key={i.key}>
                      <strong>{i.label}</strong>
                      {i.required ? '' : ' (optional)'}
                      {i.description && <span className="muted"> — {i.description}</span>}
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="muted">None.</p>
              )}
              <h3>Credentials</h3>
              {card.credentials.length ? (
                <ul>
                  {card.credentials.map((c) => (
                    <li key={c.key}>
                      <strong>{c.label}</strong> <span className="badge">{c.typeTitle}</span>
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="muted">None.</p>
              )}
              <h3>Data tables</h3>
              {template.tables.length ? (
                <ul>
                  {template.tables.map((t) => (
                    <li key={t.key}>
                      <strong>{t.name}</strong>{' '}
                      <span className="muted">({t.columns.map((c) => c.name).join(', ')})</span>
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="muted">None.</p>
              )}
              <h3>Nodes</h3>
              <p className="muted">{card.nodes.map((n) => n.title).join(' · ')}</p>
            </section>
          )}
        </aside>
      </div>
    </main>
  );
}

export function ErrorBoundary() {
  const message = routeErrorMessage(useRouteError(), 'Something went wrong.');
  return (
    <main className="page">
      <Link to="/templates" className="back-link">
        ← Templates
      </Link>
      <div className="banner error" role="alert">
        Could not show this template: {message}
      </div>
    </main>
  );
}
