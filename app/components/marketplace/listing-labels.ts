// Words the marketplace pages use for a listing's permissions, rating and installs, and a plain-text summary of its
// markdown description for cards (pure: the pages and their tests share them).
import type { ListingPermission } from '../../../contracts/marketplace';

export const PERMISSION_LABELS: Record<ListingPermission, { label: string; hint: string }> = {
  network: { label: 'Calls the web', hint: 'Makes HTTP requests or opens pages on the domains it lists.' },
  browser: { label: 'Browser', hint: 'Drives a browser on the browser workers.' },
  email: { label: 'Sends email', hint: 'Sends email through a mail server you pick.' },
  gpu: { label: 'GPU', hint: 'Runs on the GPU workers (local models).' },
};

export const SORT_LABELS = { installs: 'Most installed', rating: 'Best rated', newest: 'Newest' } as const;

export function installsText(installs: number): string {
  return `${installs.toLocaleString('en-US')} install${installs === 1 ? '' : 's'}`;
}

export function ratingText(rating: number | null, count: number): string {
  if (rating === null || count === 0) return 'No ratings yet';
  return `${rating.toFixed(1)} of 5 (${count} rating${count === 1 ? '' : 's'})`;
}

/**
 * The first paragraph of a markdown description as plain text, cut to `max` characters: cards show it as text, so
 * markdown punctuation is dropped rather than rendered.
 */
export function plainSummary(markdown: string, max = 180): string {
  const paragraph =
    markdown
      .split(/\n\s*\n/)
      .map((p) => p.trim())
      .find((p) => p !== '' && !/^(#|```|\||>|-{3,})/.test(p)) ?? '';
  const text = paragraph
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`~]+/g, '')
    .replace(/<[^>]*>/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}
