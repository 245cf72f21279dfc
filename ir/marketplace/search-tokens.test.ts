// Search tokens: words and prefixes, lowercased, capped so a 50 KB description cannot make a huge number of entries.
import { queryTokens, searchTokens, TOKEN_LIMITS } from './search-tokens';

test('words of every source and their prefixes of length ≥ 2, lowercased', () => {
  expect(searchTokens('Onboard HR', 'new-hire')).toEqual([
    'on',
    'onb',
    'onbo',
    'onboa',
    'onboar',
    'onboard',
    'hr',
    'ne',
    'new',
    'hi',
    'hir',
    'hire',
  ]);
  expect(searchTokens('Ünïcode 日本語')).toEqual(['ün', 'ünï', 'ünïc', 'ünïco', 'ünïcod', 'ünïcode', '日本', '日本語']);
});

test('the array is capped, title first; long words keep their first 24 characters', () => {
  const tokens = searchTokens('Title', Array.from({ length: 25_000 }, (_, i) => `word${i}`).join(' '));
  expect(tokens).toHaveLength(TOKEN_LIMITS.maxTokens);
  expect(tokens.slice(0, 4)).toEqual(['ti', 'tit', 'titl', 'title']);
  expect(searchTokens('x'.repeat(100)).at(-1)).toBe('x'.repeat(TOKEN_LIMITS.maxWordLength));
});

test('a query keeps words of two characters or more, cut to the stored prefix length', () => {
  expect(queryTokens('A  Time-OFF  time ' + 'y'.repeat(40))).toEqual(['time', 'off', 'y'.repeat(24)]);
});
