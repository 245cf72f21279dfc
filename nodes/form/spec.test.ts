import { checkParams } from '../../ir/params';
import { formStepPage, formStepPlan, spec } from './spec';

describe('form', () => {
  it('waits for its form page, and only for it', () => {
    const runtime = spec.runtime.kind === 'wait' ? spec.runtime : undefined;
    expect(runtime?.awaits({})).toBe('form');
    expect(runtime?.plan({ expires: 'never', expiresUnit: 'days' }, 0)).toEqual({ kind: 'event', source: 'form' });
  });

  it('expires after its duration, and offers the "Expired" output only then', () => {
    expect(formStepPlan({ expires: 'after', expiresAmount: 2, expiresUnit: 'hours' })).toEqual({
      kind: 'event',
      source: 'form',
      timeoutMs: 2 * 3600_000,
    });
    expect(spec.conditionalOutputs).toEqual([
      { port: { id: 'timeout', label: 'Expired' }, when: { param: 'expires', oneOf: ['after'] } },
    ]);
  });

  it('describes its page like the trigger does, and checks its fields the same way', () => {
    expect(formStepPage({ title: 'Equipment', fields: [{ key: 'laptop', type: 'boolean' }] })).toMatchObject({
      title: 'Equipment',
      fields: [{ key: 'laptop', label: 'laptop', type: 'boolean' }],
    });
    expect(checkParams(spec, {})).toEqual([]);
    expect(spec.check!({ fields: [{ key: 'a', type: 'select', options: ' , ' }] })[0].path).toEqual([
      'fields',
      0,
      'options',
    ]);
  });
});
