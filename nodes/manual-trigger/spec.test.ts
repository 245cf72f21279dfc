import { manualPayload, spec } from './spec';

describe('manual-trigger', () => {
  it('uses the provided payload, else the sample payload, else {}', () => {
    expect(manualPayload({ samplePayload: { a: 1 } }, { b: 2 })).toEqual({ b: 2 });
    expect(manualPayload({ samplePayload: { a: 1 } }, undefined)).toEqual({ a: 1 });
    expect(manualPayload({}, undefined)).toEqual({});
    expect(manualPayload({ samplePayload: { a: 1 } }, null)).toBeNull();
  });

  it('is a trigger without inputs whose sample payload is never an expression', () => {
    expect(spec.runtime.kind).toBe('trigger');
    expect(spec.inputs).toEqual([]);
    expect(spec.params.samplePayload.ui.expression).toBe(false);
  });
});
