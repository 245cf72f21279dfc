import { DOCUMENT_LIMITS, parseDocument } from './schema';

const node = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  type: 'set-fields',
  version: 1,
  name: `Node ${id}`,
  position: { x: 0, y: 0 },
  params: {},
  ...extra,
});
const doc = (nodes: unknown[], edges: unknown[] = []) => ({ nodes, edges, settings: {} });
const codes = (json: unknown) => {
  const r = parseDocument(json);
  return r.ok ? [] : r.diagnostics.map((d) => d.code);
};

describe('parseDocument', () => {
  it('accepts a valid document and defaults settings and params', () => {
    const r = parseDocument({ nodes: [{ ...node('a'), params: undefined }], edges: [] });
    expect(r.ok && r.doc).toEqual({ nodes: [{ ...node('a') }], edges: [], settings: {} });
  });

  it.each([null, 42, 'doc', [], true])('rejects the non-object %p', (json) => {
    const r = parseDocument(json);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.diagnostics[0].message).toMatch(/must be a JSON object/);
  });

  it('locates wrong types with paths and node ids', () => {
    const r = parseDocument(doc([node('a', { version: '1', position: { x: 'left', y: 0 } })]));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostics).toEqual([
      expect.objectContaining({
        code: 'document-invalid',
        nodeId: 'a',
        path: ['nodes', 0, 'version'],
        message: 'Node a: version: Expected number, received string',
      }),
      expect.objectContaining({ code: 'document-invalid', nodeId: 'a', path: ['nodes', 0, 'position', 'x'] }),
    ]);
  });

  it('rejects missing arrays and malformed edges', () => {
    expect(codes({ nodes: 'x' })).toEqual(['document-invalid', 'document-invalid']);
    const r = parseDocument(doc([node('a')], [{ id: 'e1', source: 'a', target: 'b' }]));
    expect(!r.ok && r.diagnostics.map((d) => d.path)).toEqual([
      ['edges', 0, 'sourcePort'],
      ['edges', 0, 'targetPort'],
    ]);
  });

  it('rejects ids that are not short safe strings', () => {
    for (const id of ['', 'a b', 'x'.repeat(65), '../etc', '<script>', '$where', 'a.b', 7]) {
      expect(codes(doc([node(id as string)]))).toContain('document-invalid');
    }
  });

  it('rejects duplicate node ids, node names and edge ids', () => {
    const e = { id: 'e', source: 'a', sourcePort: 'out', target: 'b', targetPort: 'in' };
    expect(codes(doc([node('a'), node('a', { name: 'Other' })]))).toEqual(['duplicate-id']);
    expect(codes(doc([node('a', { name: 'Same' }), node('b', { name: 'Same' })]))).toEqual(['duplicate-name']);
    expect(codes(doc([node('a'), node('b')], [e, e]))).toEqual(['duplicate-id']);
  });

  it('rejects blank names and control characters in names', () => {
    expect(codes(doc([node('a', { name: '   ' })]))).toEqual(['document-invalid']);
    expect(codes(doc([node('a', { name: 'bad\u0000name' })]))).toEqual(['document-invalid']);
  });

  it('rejects prototype keys anywhere in params without polluting anything', () => {
    const hostile = JSON.parse('{"fields": {"a": {"__proto__": {"polluted": true}}}}');
    const r = parseDocument(doc([node('a', { params: hostile })]));
    expect(!r.ok && r.diagnostics[0]).toMatchObject({
      code: 'param-invalid',
      nodeId: 'a',
      path: ['nodes', 0, 'params', 'fields', 'a', '__proto__'],
    });
    expect(({} as any).polluted).toBeUndefined();
    expect(codes(doc([node('a', { params: JSON.parse('{"constructor": 1}') })]))).toEqual(['param-invalid']);
  });

  it('keeps hostile-looking strings and dotted keys as plain data', () => {
    const params = { fields: { 'user.name': '<script>alert(1)</script>', $where: '$where', 'a.b.c': { $gt: 1 } } };
    const r = parseDocument(doc([node('a', { params })]));
    expect(r.ok && r.doc.nodes[0].params).toEqual(params);
  });

  it('rejects a 5 MB param naming the field', () => {
    const r = parseDocument(doc([node('a', { params: { fields: { note: 'x'.repeat(5 * 1024 * 1024) } } })]));
    expect(!r.ok && r.diagnostics[0]).toMatchObject({
      code: 'param-invalid',
      nodeId: 'a',
      message: 'Node a: Param "fields" is too large (over 1.0 MB)',
      path: ['nodes', 0, 'params', 'fields', 'note'],
    });
  });

  it('rejects deep nesting and non-JSON values in params', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(codes(doc([node('a', { params: { fields: deep } })]))).toEqual(['param-invalid']);
    expect(codes(doc([node('a', { params: { fields: () => 1 } })]))).toEqual(['param-invalid']);
    expect(codes(doc([node('a', { params: { fields: Number.NaN } })]))).toEqual(['param-invalid']);
  });

  it('rejects absurd sizes before looking at every element', () => {
    const nodes = Array.from({ length: DOCUMENT_LIMITS.nodes + 1 }, (_, i) => node(`n${i}`));
    expect(codes(doc(nodes))).toEqual(['document-too-large']);
    const edges = Array.from({ length: DOCUMENT_LIMITS.edges + 1 }, () => ({}));
    expect(codes(doc([], edges))).toEqual(['document-too-large']);
  });

  it('validates policy overrides', () => {
    expect(codes(doc([node('a', { policy: { retry: { maximumAttempts: 0 } } })]))).toEqual(['document-invalid']);
    expect(codes(doc([node('a', { policy: { timeoutMs: 90_000_000 } })]))).toEqual(['document-invalid']);
    expect(codes(doc([node('a', { policy: { timeoutMs: 5000, sneaky: true } })]))).toEqual(['document-invalid']);
    expect(codes(doc([node('a', { policy: { retry: { maximumAttempts: 10 }, timeoutMs: 1000 } })]))).toEqual([]);
  });

  // The rules below were found by ir/fuzz.test.ts: every problem names the node or edge it is about.
  it('names the node in every message: by name, else by id, else by place', () => {
    const messages = (json: unknown) => {
      const r = parseDocument(json);
      return r.ok ? [] : r.diagnostics.map((d) => [d.nodeId, d.message]);
    };
    expect(messages(doc([node('a', { type: undefined })]))).toEqual([['a', 'Node a: type: Required']]);
    expect(messages(doc([node('a', { name: 'x\u0000' })]))).toEqual([
      ['a', 'Node "a": name: must be visible text without control characters'],
    ]);
    expect(messages(doc([node('a b', { name: 7 })]))).toEqual([
      [undefined, 'nodes.0.id: must be 1–64 letters, digits, "-" or "_"'],
      [undefined, 'nodes.0.name: Expected string, received number'],
    ]);
    expect(messages(doc([node('a'), node('a', { name: 'Second' })]))).toEqual([
      ['a', 'Second: node id "a" is used by more than one node'],
    ]);
    // Duplicates are looked for among valid ids and names only: the others are reported (once) already.
    const long = 'n'.repeat(100_000);
    expect(messages(doc([node('a', { name: long }), node('b', { name: long })])).map(([id]) => id)).toEqual(['a', 'b']);
    expect(messages(doc([node('a', { params: JSON.parse('{"__proto__": 1}') })]))).toEqual([
      ['a', 'Node a: param name "__proto__" is reserved'],
    ]);
  });

  it('quotes at most 300 characters of a refused value', () => {
    const r = parseDocument({ nodes: [], edges: [], settings: { mode: 'x'.repeat(100_000) } });
    const message = r.ok ? '' : r.diagnostics[0].message;
    expect(message).toMatch(/^settings\.mode: Invalid enum value\. Expected 'standard' \| 'express', received 'x+…$/);
    expect(message.length).toBe('settings.mode: '.length + 301);
  });

  it('gives edge problems the edge id', () => {
    const r = parseDocument(
      doc([node('a')], [{ id: 'e1', source: 3, sourcePort: 'out', target: 'a', targetPort: 'in' }]),
    );
    expect(!r.ok && r.diagnostics).toEqual([
      expect.objectContaining({
        edgeId: 'e1',
        path: ['edges', 0, 'source'],
        message: 'Edge "e1": source: Expected string, received number',
      }),
    ]);
  });

  it('reserves ids that would reach Object.prototype where ids key objects', () => {
    for (const id of ['__proto__', 'constructor', 'prototype']) {
      const r = parseDocument(doc([node(id)]));
      expect(!r.ok && r.diagnostics[0]).toMatchObject({ path: ['nodes', 0, 'id'], nodeId: undefined });
      expect(!r.ok && r.diagnostics[0].message).toMatch(/id: is reserved/);
    }
  });

  it('caps the expressions a document holds, so compiling it stays short', () => {
    const fields = (from: number, count: number, steps = 1) =>
      Object.fromEntries(
        Array.from({ length: count }, (_, i) => [`f${i}`, `{{ $${'.a'.repeat(steps)}.n${from + i} }}`]),
      );
    const many = Array.from({ length: 11 }, (_, k) => node(`n${k}`, { params: { fields: fields(k * 500, 500) } }));
    const r = parseDocument(doc(many));
    expect(!r.ok && r.diagnostics).toEqual([
      expect.objectContaining({
        code: 'document-too-large',
        path: ['nodes'],
        message: `Node params hold 5500 expressions ({{ … }}); the limit is ${DOCUMENT_LIMITS.expressions}`,
      }),
    ]);
    const long = Array.from({ length: 4 }, (_, k) => node(`n${k}`, { params: { fields: fields(k * 1000, 700, 99) } }));
    expect(codes(doc(long))).toEqual(['document-too-large']);
    expect(codes(doc(long.slice(0, 2)))).toEqual([]);
  });
});
