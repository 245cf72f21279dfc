// The card's plain-text summary and the rating and install words.
import { installsText, plainSummary, ratingText } from './listing-labels';

test('the summary is the first paragraph as text: headings skipped, markdown and tags dropped, long text cut', () => {
  expect(plainSummary('# Title\n\nSends **bold** [news](https://x.test) <script>alert(1)</script> out.\n\nMore.')).toBe(
    'Sends bold news alert(1) out.',
  );
  expect(plainSummary('')).toBe('');
  const long = plainSummary('word '.repeat(100), 20);
  expect(long).toHaveLength(20);
  expect(long.endsWith('…')).toBe(true);
});

test('ratings and installs read as words', () => {
  expect(ratingText(null, 0)).toBe('No ratings yet');
  expect(ratingText(4.25, 4)).toBe('4.3 of 5 (4 ratings)');
  expect(ratingText(5, 1)).toBe('5.0 of 5 (1 rating)');
  expect(installsText(1)).toBe('1 install');
  expect(installsText(1200)).toBe('1,200 installs');
});
