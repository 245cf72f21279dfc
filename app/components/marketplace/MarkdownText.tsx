// Markdown someone published (a listing's description, a version's changelog), rendered by the strict renderer
// (app/lib/markdown.ts): raw HTML in the source shows as text, so a script in a description is never run.
import { renderMarkdown } from '../../lib/markdown';

export function MarkdownText({ source, className = '' }: { source: string; className?: string }) {
  // Safe to inject: renderMarkdown escapes every character of the source before adding its few tags.
  return <div className={`markdown ${className}`} dangerouslySetInnerHTML={{ __html: renderMarkdown(source) }} />;
}
