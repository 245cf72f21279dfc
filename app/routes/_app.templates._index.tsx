// The template gallery (docs/decisions/051-templates.md): search over title, summary, description and tags, category
// chips with counts, one card per template. Everything is in the page's data, so filtering works offline; "/"
// focuses the search box.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useLoaderData, useSearchParams } from '@remix-run/react';
import { useEffect, useRef } from 'react';
import { TEMPLATE_CATEGORIES } from '../../contracts/templates';
import { TemplateCard } from '../components/templates/TemplateCard';
import { categoryCounts, filterTemplates } from '../components/templates/template-search';
import { requirePageCaller } from '../lib/auth.server';
import { templateCard, templateLibrary } from '../lib/templates.server';
import { renderWorkflowPreviewSvg, svgDataUrl } from '../../ir/preview/render-svg';
import templatesCss from '../styles/templates.css?url';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: templatesCss }];

export const meta: MetaFunction = () => [{ title: 'Templates · Baton' }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePageCaller(request, '/templates');
  const library = templateLibrary().templates;
  // Each card's canvas thumbnail (docs/decisions/064), drawn from the template's own document.
  const previews = Object.fromEntries(
    library.map((t) => [t.slug, svgDataUrl(renderWorkflowPreviewSvg(t.document, { size: 'small', title: t.title }))]),
  );
  return { templates: library.map(templateCard), previews };
}

export default function TemplateGallery() {
  const { templates, previews } = useLoaderData<typeof loader>();
  // The query and category live in the URL, so a filtered gallery can be linked and survives "back".
  const [params, setParams] = useSearchParams();
  const query = params.get('q') ?? '';
  const category = params.get('category');
  const search = useRef<HTMLInputElement>(null);
  const shown = filterTemplates(templates, query, category);
  const counts = categoryCounts(templates, query, TEMPLATE_CATEGORIES);

  const update = (next: { q?: string | null; category?: string | null }) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v) p.set(k, v);
      else p.delete(k);
    }
    setParams(p, { replace: true, preventScrollReset: true });
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (e.key !== '/' || e.metaKey || e.ctrlKey || e.altKey) return;
      if (target.closest('input, textarea, select, [contenteditable="true"]')) return;
      e.preventDefault();
      search.current?.focus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <main className="page templates-page">
      <div className="page-header">
        <div>
          <h1>Templates</h1>
          <p className="muted">
            Ready-made workflows for HR, finance, IT and operations. Open one to see how it works, then use it: you fill
            in a few settings and pick credentials, and it lands in your workflows as a draft.
          </p>
        </div>
      </div>
      <div className="template-filters">
        <div className="template-search">
          <input
            ref={search}
            type="search"
            className="input"
            placeholder="Search templates"
            aria-label="Search templates"
            aria-keyshortcuts="/"
            value={query}
            onChange={(e) => update({ q: e.target.value })}
          />
          <kbd aria-hidden="true">/</kbd>
        </div>
        <div className="template-chips" role="group" aria-label="Category">
          <button
            type="button"
            className={`template-chip${category ? '' : ' active'}`}
            aria-pressed={!category}
            onClick={() => update({ category: null })}
          >
            All <span className="count">{filterTemplates(templates, query, null).length}</span>
          </button>
          {counts.map(({ category: c, count }) => (
            <button
              key={c}
              type="button"
              className={`template-chip${category === c ? ' active' : ''}`}
              aria-pressed={category === c}
              onClick={() => update({ category: category === c ? null : c })}
            >
              {c} <span className="count">{count}</span>
            </button>
          ))}
        </div>
      </div>
      {shown.length === 0 ? (
        <div className="card empty" role="status">
          <h2>No template matches</h2>
          <p>
            {templates.length === 0
              ? 'This Baton has no templates installed.'
              : `Nothing matches “${query}”${category ? ` in ${category}` : ''}. Try other words, or clear the filters.`}
          </p>
          {(query || category) && (
            <button className="btn" type="button" onClick={() => update({ q: null, category: null })}>
              Clear filters
            </button>
          )}
        </div>
      ) : (
        <ul className="card-gallery template-grid" aria-label="Templates">
          {shown.map((card) => (
            <TemplateCard key={card.slug} card={card} preview={previews[card.slug]} />
          ))}
        </ul>
      )}
    </main>
  );
}
