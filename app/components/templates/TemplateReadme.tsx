// A template's README, rendered from parsed blocks as React text (readme-blocks.ts): no HTML from the file is injected.
import { Fragment } from 'react';
import { parseReadme, type Inline } from './readme-blocks';

function InlineText({ parts }: { parts: Inline[] }) {
  return (
    <>
      {parts.map((p, i) =>
        p.kind === 'strong' ? (
          <strong key={i}>{p.text}</strong>
        ) : p.kind === 'em' ? (
          <em key={i}>{p.text}</em>
        ) : p.kind === 'code' ? (
          <code key={i}>{p.text}</code>
        ) : (
          <Fragment key={i}>{p.text}</Fragment>
        ),
      )}
    </>
  );
}

export function TemplateReadme({ source }: { source: string }) {
  const blocks = parseReadme(source);
  if (blocks.length === 0) return <p className="muted">This template has no README.</p>;
  return (
    <div className="template-readme">
      {blocks.map((b, i) => {
        if (b.kind === 'heading') {
          const Tag = `h${b.level}` as 'h2' | 'h3' | 'h4';
          return (
            <Tag key={i}>
              <InlineText parts={b.inline} />
            </Tag>
          );
        }
        if (b.kind === 'code') return <pre key={i}>{b.text}</pre>;
        if (b.kind === 'table')
          return (
            <div className="template-readme-table" key={i}>
              <table className="table">
                {b.head.length > 0 && (
                  <thead>
                    <tr>
                      {b.head.map((cell, j) => (
                        <th key={j}>
                          <InlineText parts={cell} />
                        </th>
                      ))}
                    </tr>
                  </thead>
                )}
                <tbody>
                  {b.rows.map((row, j) => (
                    <tr key={j}>
                      {row.map((cell, k) => (
                        <td key={k}>
                          <InlineText parts={cell} />
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          );
        if (b.kind === 'list') {
          const List = b.ordered ? 'ol' : 'ul';
          return (
            <List key={i}>
              {b.items.map((item, j) => (
                <li key={j}>
                  <InlineText parts={item} />
                </li>
              ))}
            </List>
          );
        }
        return (
          <p key={i}>
            <InlineText parts={b.inline} />
          </p>
        );
      })}
    </div>
  );
}
