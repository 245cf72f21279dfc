// The gallery's search and category filter, pure so that the page and its test agree: every word of the query must
// appear in the title, summary, description or tags (case- and accent-insensitive).
export interface SearchableTemplate {
  title: string;
  summary: string;
  description: string;
  category: string;
  tags: string[];
}

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

export function matchesQuery(t: SearchableTemplate, query: string): boolean {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = fold([t.title, t.summary, t.description, ...t.tags].join(' \u0000 '));
  return words.every((w) => haystack.includes(w));
}

/** Templates matching the query and, when set, the category. */
export function filterTemplates<T extends SearchableTemplate>(all: T[], query: string, category: string | null): T[] {
  return all.filter((t) => (!category || t.category === category) && matchesQuery(t, query));
}

/** Category → number of templates matching the query, in the order given (empty categories kept, at 0). */
export function categoryCounts(all: SearchableTemplate[], query: string, categories: readonly string[]) {
  return categories.map((category) => ({
    category,
    count: all.filter((t) => t.category === category && matchesQuery(t, query)).length,
  }));
}
