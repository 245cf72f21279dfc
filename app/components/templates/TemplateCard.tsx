// One gallery card: title, summary, category, tags, the node types the template uses (icons) and the credentials
// it needs. The whole card is a link to the template's page.
import { Link } from '@remix-run/react';
import { NodeIcon } from '../canvas/NodeIcon';
import type { TemplateCard as Card } from '../../lib/templates.server';

/** `preview`: a `data:` URL of the template's canvas picture (ir/preview), shown above the text. */
export function TemplateCard({ card, preview }: { card: Card; preview?: string }) {
  return (
    <li className="template-card">
      <Link to={`/templates/${card.slug}`} className="card-link template-card-link" aria-label={card.title}>
        {preview && (
          <img className="template-card-preview" src={preview} alt="" width={400} height={210} loading="lazy" />
        )}
        <div className="template-card-top">
          <span className="template-category">{card.category}</span>
          <span className="template-node-icons" aria-label={`Uses ${card.nodes.map((n) => n.title).join(', ')}`}>
            {card.nodes.slice(0, 7).map((n) => (
              <span key={n.type} className="template-node-icon" title={n.title}>
                <NodeIcon icon={n.icon} size={14} />
              </span>
            ))}
            {card.nodes.length > 7 && <span className="template-node-more">+{card.nodes.length - 7}</span>}
          </span>
        </div>
        <h2 className="template-card-title">{card.title}</h2>
        <p className="template-card-summary">{card.summary}</p>
        {card.credentials.length > 0 && (
          <p className="template-card-needs">
            Needs:{' '}
            {card.credentials.map((c, i) => (
              <span key={c.key}>
                {i > 0 && ', '}
                <span className="template-cred">{c.typeTitle}</span>
              </span>
            ))}
          </p>
        )}
        <ul className="template-tags" aria-label="Tags">
          {card.tags.map((tag) => (
            <li key={tag} className="template-tag">
              {tag}
            </li>
          ))}
        </ul>
      </Link>
    </li>
  );
}
