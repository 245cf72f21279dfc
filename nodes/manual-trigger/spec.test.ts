import { spec } from './spec';

const runtime = spec.runtime.kind === 'trigger' ? spec.runtime : undefined;

describe('manual-trigger', () => {
  it('uses the provided payload, else the sample payload, else {}', () => {
    expect(runtime?.manualPayload({ samplePayload: { a: 1 } }, { b: 2 })).toEqual({ b: 2 });
    expect(runtime?.manualPayload({ samplePayload: { a: 1 } }, undefined)).toEqual({ a: 1 });
    expect(runtime?.manualPayload({}, undefined)).toEqual({});
    expect(runtime?.manualPayload({ samplePayload: { a: 1 } }, null)).toBeNull();
  });

  it('is a trigger bound to nothing but the Run button, without inputs, whose sample payload is never an expression', () => {
    expect(runtime?.binding).toBe('manual');
    expect(spec.inputs).toEqual([]);
    expect(spec.params.samplePayload.ui.expression).toBe(false);
  });
});
