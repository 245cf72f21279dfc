// Markdown for published descriptions: the supported syntax renders, hostile input comes out as inert text, and
// pathological input finishes (the scans are linear; a backtracking regex would not finish these inputs at all).
import { SaxesParser } from 'saxes';
import { renderMarkdown, safeHref } from './markdown';

/** Every tag and attribute in `html`, read by a strict XML parser (the output is also well-formed XHTML-ish). */
function tagsOf(html: string): Array<{ name: string; attributes: Record<string, string> }> {
  const parser = new SaxesParser();
  const tags: Array<{ name: string; attributes: Record<string, string> }> = [];
  parser.on('error', (err) => {
    throw err;
  });
  parser.on('opentag', (tag) => tags.push({ name: tag.name, attributes: tag.attributes as Record<string, string> }));
  // <br> and <hr> are void in HTML; close them for the XML parser.
  parser.write(`<root>${html.replace(/<(br|hr)>/g, '<$1/>')}</root>`).close();
  return tags.slice(1);
}

const ALLOWED_TAGS = new Set(
  'p h1 h2 h3 h4 h5 h6 strong em code pre ul ol li a blockquote hr br table thead tbody tr th td'.split(' '),
);

/** The output holds only allowed tags, and only links carry attributes: a safe href, maybe a title, the fixed rel. */
function expectSafe(html: string) {
  for (const tag of tagsOf(html)) {
    expect(ALLOWED_TAGS.has(tag.name)).toBe(true);
    if (tag.name === 'a') {
      expect(Object.keys(tag.attributes).filter((k) => !['href', 'title', 'rel'].includes(k))).toEqual([]);
      expect(tag.attributes.href).toMatch(/^(https?:\/\/|mailto:)/);
      expect(tag.attributes.rel).toBe('noopener noreferrer nofollow');
    } else expect(tag.attributes).toEqual({});
  }
}

describe('renderMarkdown: the supported syntax', () => {
  test('headings, paragraphs, emphasis, code and links', () => {
    expect(renderMarkdown('# Title #\n\nSome **bold**, *em*, _em_ and `a < b`.\nNext line.')).toBe(
      '<h1>Title</h1>\n<p>Some <strong>bold</strong>, <em>em</em>, <em>em</em> and <code>a &#60; b</code>.\nNext line.</p>',
    );
    expect(renderMarkdown('See [the docs](https://example.com/a?b=1&c=2 "Docs").')).toBe(
      '<p>See <a href="https://example.com/a?b=1&#38;c=2" title="Docs" rel="noopener noreferrer nofollow">the docs</a>.</p>',
    );
    expect(renderMarkdown('snake_case_name stays')).toBe('<p>snake_case_name stays</p>');
    expect(renderMarkdown('line one  \nline two')).toBe('<p>line one<br>\nline two</p>');
  });

  test('lists, nested lists, blockquotes, rules and fenced code', () => {
    expect(renderMarkdown('- one\n- two\n  - nested\n\n1. first\n2. second')).toBe(
      '<ul><li>one</li><li>two\n<ul><li>nested</li></ul></li></ul>\n<ol><li>first</li><li>second</li></ol>',
    );
    expect(renderMarkdown('> quoted **text**\n> more\n\n---')).toBe(
      '<blockquote><p>quoted <strong>text</strong>\nmore</p></blockquote>\n<hr>',
    );
    expect(renderMarkdown('```js\nif (a < b) **no** [x](y)\n```')).toBe(
      '<pre><code>if (a &#60; b) **no** [x](y)\n</code></pre>',
    );
  });

  test('pipe tables', () => {
    expect(renderMarkdown('| Step | Who |\n|---|:-:|\n| Approve | *HR* |\n| Ship \\| send | IT |')).toBe(
      '<table><thead><tr><th>Step</th><th>Who</th></tr></thead><tbody><tr><td>Approve</td><td><em>HR</em></td></tr>' +
        '<tr><td>Ship | send</td><td>IT</td></tr></tbody></table>',
    );
  });
});

describe('renderMarkdown: hostile input comes out as text', () => {
  const HOSTILE: Array<[string, string]> = [
    ['<script>alert(1)</script>', '<p>&#60;script&#62;alert(1)&#60;/script&#62;</p>'],
    ['<img src=x onerror=alert(1)>', '<p>&#60;img src=x onerror=alert(1)&#62;</p>'],
    ['[x](javascript:alert(1))', '<p>[x](javascript:alert(1))</p>'],
    ['[x](JaVaScRiPt:alert(1))', '<p>[x](JaVaScRiPt:alert(1))</p>'],
    ['[x](java\tscript:alert(1))', '<p>[x](java    script:alert(1))</p>'],
    ['[x](data:text/html;base64,PHNjcmlwdD4=)', '<p>[x](data:text/html;base64,PHNjcmlwdD4=)</p>'],
    ['[x](vbscript:msgbox)', '<p>[x](vbscript:msgbox)</p>'],
    ['[x](java&#115;cript:alert(1))', '<p>[x](java&#38;#115;cript:alert(1))</p>'],
    ['[x](/relative/path)', '<p>[x](/relative/path)</p>'],
    ['[x](https://a.example "t\\" onmouseover=\\"x")', undefined as unknown as string],
    ['[x]("https://a.example" onclick="x")', '<p>[x](&#34;https://a.example&#34; onclick=&#34;x&#34;)</p>'],
    ['&lt;script&gt;', '<p>&#38;lt;script&#38;gt;</p>'],
    ['`</code><script>`', '<p><code>&#60;/code&#62;&#60;script&#62;</code></p>'],
    ['**<b>x</b>**', '<p><strong>&#60;b&#62;x&#60;/b&#62;</strong></p>'],
    ['[[[a](https://a.example)](https://b.example)](https://c.example)', undefined as unknown as string],
    ['*a [b* c](https://a.example)', undefined as unknown as string],
    ['# <svg onload=alert(1)>', '<h1>&#60;svg onload=alert(1)&#62;</h1>'],
    [
      '> <iframe src="https://evil.example">',
      '<blockquote><p>&#60;iframe src=&#34;https://evil.example&#34;&#62;</p></blockquote>',
    ],
    ['| <b> | x |\n|---|---|\n| <i onclick=1> | y |', undefined as unknown as string],
  ];

  test.each(HOSTILE)('%j', (input, expected) => {
    const html = renderMarkdown(input);
    expectSafe(html);
    expect(html).not.toMatch(/<(script|img|iframe|svg|b|i)\b/i);
    if (expected !== undefined) expect(html).toBe(expected);
  });

  test('a link holds no link, and emphasis never crosses a link boundary', () => {
    const nested = renderMarkdown('[[[a](https://a.example)](https://b.example)](https://c.example)');
    expect(tagsOf(nested).filter((t) => t.name === 'a')).toHaveLength(1);
    expect(renderMarkdown('*a [b* c](https://a.example)')).toBe(
      '<p>*a <a href="https://a.example/" rel="noopener noreferrer nofollow">b* c</a></p>',
    );
  });

  test('safeHref accepts only absolute http, https and mailto URLs, normalised by the URL parser', () => {
    expect(safeHref('https://example.com/a b')).toBe('https://example.com/a%20b');
    expect(safeHref('mailto:hr@example.com')).toBe('mailto:hr@example.com');
    for (const bad of ['javascript:alert(1)', ' javascript:x', 'data:,x', 'file:///etc/passwd', '//evil.example', 'x'])
      expect(safeHref(bad)).toBeUndefined();
  });
});

describe('renderMarkdown: pathological input finishes', () => {
  const MB = 1024 * 1024;
  test.each([
    ['a 1 MB line of *', '*'.repeat(MB)],
    ['a 1 MB line of [', '['.repeat(MB)],
    ['a 1 MB line of [](', '[]('.repeat(MB / 3)],
    ['a 1 MB line of ` and ``', '` ``'.repeat(MB / 4)],
    ['1 MB of spaces before a newline', ' '.repeat(MB) + '\nx'],
    ['1 MB of nested quotes', '>'.repeat(MB)],
    ['1 MB of nested list markers', '- '.repeat(MB / 2) + 'x'],
    ['openers outside a bracket and closers inside', '** ' + '*a '.repeat(100_000) + '[x**]'.repeat(100_000)],
    ['1 MB of _ between words', 'a_'.repeat(MB / 2)],
    ['a 1 MB heading of #', '# ' + '#a '.repeat(MB / 3)],
  ])('%s', (_, input) => {
    const html = renderMarkdown(input);
    expect(html.length).toBeGreaterThan(0);
    expect(html).not.toMatch(/<script/);
  });
});
