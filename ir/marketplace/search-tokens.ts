// Search without text indexes (storage rules: FerretDB has none): a listing stores the lowercased words of its
// title, tags and description and their prefixes, and a query word matches by equality on that array, which a
// plain multikey index serves.

/** Longest prefix kept per word, and most tokens per listing: a 50 KB description must not make a huge array. */
export const TOKEN_LIMITS = { minLength: 2, maxWordLength: 24, maxTokens: 2000 } as const;

/** Lowercased words of `text`: letters and digits of any script. */
export function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * Every word of the sources and its prefixes of length ≥ 2, title and tags first so that a cap cuts the
 * description's tail rather than them.
 */
export function searchTokens(...sources: string[]): string[] {
  const tokens = new Set<string>();
  for (const source of sources) {
    for (const word of wordsOf(source)) {
      const top = Math.min(word.length, TOKEN_LIMITS.maxWordLength);
      for (let n = TOKEN_LIMITS.minLength; n <= top; n++) {
        if (tokens.size >= TOKEN_LIMITS.maxTokens) return [...tokens];
        tokens.add(word.slice(0, n));
      }
    }
  }
  return [...tokens];
}

/** The words of a query, each cut to the longest stored prefix so long words still match. */
export function queryTokens(query: string): string[] {
  return [
    ...new Set(
      wordsOf(query)
        .filter((w) => w.length >= TOKEN_LIMITS.minLength)
        .map((w) => w.slice(0, TOKEN_LIMITS.maxWordLength)),
    ),
  ];
}
