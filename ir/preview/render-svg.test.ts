// The workflow preview picture: well-formed XML whatever the names hold, nothing active in it, the canvas's geometry,
// and the same bytes for the same graph.
import { createHash } from 'node:crypto';
import { SaxesParser } from 'saxes';
import { DOCUMENT_LIMITS } from '../schema';
import { PREVIEW_LIMITS } from './layout';
import { escapeXml, renderWorkflowPreviewSvg, truncate } from './render-svg';

interface Element {
  name: string;
  attributes: Record<string, string>;
  text: string;
}

/** Parses `svg` with a strict XML parser (any well-formedness error throws) into a flat list of elements. */
function parseSvg(svg: string): Element[] {
  const parser = new SaxesParser({ xmlns: false });
  const elements: Element[] = [];
  const open: Element[] = [];
  parser.on('error', (err) => {
    throw err;
  });
  parser.on('opentag', (tag) => {
    const element = { name: tag.name, attributes: tag.attributes as Record<string, string>, text: '' };
    elements.push(element);
    open.push(element);
  });
  parser.on('text', (text) => {
    if (open.length) open[open.length - 1].text += text;
  });
  parser.on('closetag', () => open.pop());
  parser.on('doctype', () => {
    throw new Error('the preview must not carry a doctype');
  });
  parser.on('processinginstruction', () => {
    throw new Error('the preview must not carry processing instructions');
  });
  parser.write(svg).close();
  return elements;
}

const node = (id: string, type: string, x: number, y: number, extra: Record<string, unknown> = {}) => ({
  id,
  type,
  version: 1,
  name: id,
  position: { x, y },
  params: {},
  ...extra,
});

const edge = (id: string, source: string, target: string, sourcePort = 'out', targetPort = 'in') => ({
  id,
  source,
  sourcePort,
  target,
  targetPort,
});

const sample = {
  nodes: [
    node('start', 'manual-trigger', 0, 0, { name: 'Start' }),
    node('check', 'if', 300, 0, { name: 'Is manager?' }),
    node('mail', 'send-email', 600, -100, { name: 'Email the manager', disabled: true }),
    node('log', 'set-fields', 600, 100, { name: 'Note it' }),
  ],
  edges: [edge('e1', 'start', 'check'), edge('e2', 'check', 'mail', 'true'), edge('e3', 'check', 'log', 'false')],
  settings: {},
};

const HOSTILE = [
  '</text><script>alert(1)</script>',
  '"onload="alert(1)',
  "' onmouseover='alert(1)",
  ']]><!ENTITY x "y">&x;',
  '<?xml-stylesheet href="http://evil.example/x.css"?>',
  '&#x3c;script&#x3e;',
  'bad\u0000char\u0007s\ud800lone\ufffe',
  '<a xlink:href="javascript:alert(1)">x</a>',
];

describe('renderWorkflowPreviewSvg', () => {
  test('draws one card per node with its name and type title, and one curve per edge', () => {
    const elements = parseSvg(renderWorkflowPreviewSvg(sample, { title: 'Onboarding' }));
    const root = elements[0];
    expect(root).toMatchObject({ name: 'svg', attributes: { width: '1200', height: '630', role: 'img' } });
    const texts = elements.filter((e) => e.name === 'text').map((e) => e.text);
    expect(texts).toEqual(expect.arrayContaining(['Start', 'Is manager?', 'Email the manager', 'Note it', 'If']));
    expect(elements.filter((e) => e.name === 'path')).toHaveLength(3);
    expect(elements.find((e) => e.name === 'title')?.text).toBe('Workflow preview: Onboarding');
  });

  test('the If node’s two outputs leave at different heights, from its right edge to the targets’ left edge', () => {
    const paths = parseSvg(renderWorkflowPreviewSvg(sample))
      .filter((e) => e.name === 'path')
      .map((e) => e.attributes.d);
    const start = (d: string) =>
      d
        .match(/^M([-\d.]+),([-\d.]+)/)!
        .slice(1)
        .map(Number);
    const end = (d: string) =>
      d
        .match(/ ([-\d.]+),([-\d.]+)$/)!
        .slice(1)
        .map(Number);
    const [toMail, toLog] = [paths[1], paths[2]];
    expect(start(toMail)[0]).toBe(300 + 220);
    expect(start(toMail)[1]).toBeLessThan(start(toLog)[1]);
    expect(end(toMail)).toEqual([600, -100 + 32]);
    expect(end(toLog)).toEqual([600, 100 + 32]);
  });

  test('colours cards by category and dims disabled nodes', () => {
    const svg = renderWorkflowPreviewSvg(sample);
    expect(svg).toContain('fill="#dc6803"'); // trigger
    expect(svg).toContain('fill="#0e9384"'); // flow (If)
    const groups = parseSvg(svg).filter((e) => e.name === 'g' && e.attributes.opacity === '0.5');
    expect(groups).toHaveLength(1);
  });

  test.each(HOSTILE)('a hostile node name stays text: %j', (name) => {
    const doc = { ...sample, nodes: [node('x', 'set-fields', 0, 0, { name }), ...sample.nodes] };
    const svg = renderWorkflowPreviewSvg(doc, { title: name });
    const elements = parseSvg(svg);
    const names = new Set(elements.map((e) => e.name));
    expect([...names].sort()).toEqual(['circle', 'g', 'path', 'rect', 'svg', 'text', 'title']);
    for (const element of elements) {
      for (const attribute of Object.keys(element.attributes)) expect(attribute).not.toMatch(/^on|href$/i);
    }
    const shown = elements.filter((e) => e.name === 'text')[1].text; // after the card's initial
    // eslint-disable-next-line no-control-regex
    expect(shown).toBe(truncate(name.replace(/[\u0000-\u0008\ud800-\udfff\ufffe]/g, ''), PREVIEW_LIMITS.nameChars));
  });

  test('holds no script, external reference, style sheet or foreign content', () => {
    const svg = renderWorkflowPreviewSvg({
      ...sample,
      nodes: [...sample.nodes, node('h', 'set-fields', 0, 300, { name: HOSTILE.join(' ') })],
    });
    expect(svg).not.toMatch(/<script|<style|<image|<use|<foreignObject|href=|url\(|@import|<!|<\?/i);
    expect(svg.match(/https?:\/\/[^"]+/g)).toEqual(['http://www.w3.org/2000/svg']);
  });

  test('the same graph gives the same bytes; a moved node changes them', () => {
    const hash = (doc: unknown) => createHash('sha256').update(renderWorkflowPreviewSvg(doc)).digest('hex');
    const copy = JSON.parse(JSON.stringify(sample));
    expect(hash(copy)).toBe(hash(sample));
    copy.nodes[1].position.x += 1;
    expect(hash(copy)).not.toBe(hash(sample));
  });

  test('the small size is the same picture at 400×210', () => {
    const large = renderWorkflowPreviewSvg(sample);
    const small = renderWorkflowPreviewSvg(sample, { size: 'small' });
    expect(parseSvg(small)[0].attributes).toMatchObject({ width: '400', height: '210' });
    expect(small.replace(/^<svg[^>]*>/, '')).toBe(large.replace(/^<svg[^>]*>/, ''));
  });

  test('an empty or malformed document renders a placeholder instead of throwing', () => {
    for (const doc of [undefined, null, 'x', { nodes: 'no' }, { nodes: [], edges: [] }, { nodes: [{ id: 1 }, null] }]) {
      const texts = parseSvg(renderWorkflowPreviewSvg(doc)).filter((e) => e.name === 'text');
      expect(texts.map((t) => t.text)).toEqual(['Empty workflow']);
    }
  });

  test('an unknown node type is drawn grey and says so', () => {
    const svg = renderWorkflowPreviewSvg({ nodes: [node('z', 'no-such-node', 0, 0)], edges: [] });
    expect(svg).toContain('Unknown type no-such-node');
    expect(svg).toContain('fill="#667085"');
  });

  test(`a document at the node limit draws ${PREVIEW_LIMITS.nodes} nodes and says how many it left out`, () => {
    const nodes = Array.from({ length: DOCUMENT_LIMITS.nodes }, (_, i) =>
      node(`n${i}`, 'set-fields', (i % 40) * 260, Math.floor(i / 40) * 100, {
        name: `A rather long node name number ${i}`,
      }),
    );
    const edges = nodes.slice(1).map((n, i) => edge(`e${i}`, nodes[i].id, n.id));
    const elements = parseSvg(renderWorkflowPreviewSvg({ nodes, edges }));
    const texts = elements.filter((e) => e.name === 'text').map((e) => e.text);
    expect(texts).toContain(`Showing ${PREVIEW_LIMITS.nodes} of ${DOCUMENT_LIMITS.nodes} nodes`);
    expect(texts).toContain('A rather long node…');
    expect(elements.filter((e) => e.name === 'path')).toHaveLength(PREVIEW_LIMITS.nodes - 1);
  });
});

describe('escapeXml', () => {
  test('escapes markup characters and drops characters XML cannot hold, keeping emoji', () => {
    expect(escapeXml(`<a href="x" title='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    );
    expect(escapeXml('a\u0000b\u001fc\ud83d\ude80d\udc00e\uffff')).toBe('abc\ud83d\ude80de');
  });
});
