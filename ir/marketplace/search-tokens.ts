// Search without text indexes (storage rules: FerretDB has none): a listing's tokens are the lowercased words of its
// title, tags and description and their prefixes, each one entry of the token index (db/marketplace-search-index.ts,
// docs/decisions/073), and a query word matches by equality on an entry's token, which a plain index serves.

/**
 * Longest prefix kept per word, and most tokens per listing. Each token is one small index entry, so the cap is
 * about write cost: 20,000 covers a README that fills the 50 KB description limit with ordinary prose; text built to
 * be all different words loses its tail past it.
 */
export const TOKEN_LIMITS = { minLength: 2, maxWordLength: 24, maxTokens: 20_000 } as const;

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
