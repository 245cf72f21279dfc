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
        message: 'nodes.0.version: Expected number, received string',
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
      message: 'Param "fields" is too large (over 1.0 MB)',
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
});
