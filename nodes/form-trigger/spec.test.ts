import { checkParams } from '../../ir/params';
import { formTriggerPage, spec } from './spec';

const runtime = spec.runtime.kind === 'trigger' && spec.runtime.binding === 'form' ? spec.runtime : undefined;

describe('form-trigger', () => {
  it('is a form-bound trigger whose payload is the answers, and whose test runs take the caller’s input', () => {
    expect(runtime?.form.payload({}, { name: 'Ada', age: 36 })).toEqual({ name: 'Ada', age: 36 });
    expect(runtime?.manualPayload({}, { name: 'Ada' })).toEqual({ name: 'Ada' });
    expect(runtime?.manualPayload({}, undefined)).toEqual({});
  });

  it('describes its page: fields from the rows, select options split, limits in bytes', () => {
    const page = formTriggerPage({
      title: ' New hire ',
      fields: [
        { key: 'name', type: 'text', required: true },
        { key: 'team', label: 'Team', type: 'select', options: 'Sales, , Engineering' },
        { key: 'cv', label: 'CV', type: 'file' },
      ],
      maxFileMb: 2,
    });
    expect(page).toEqual({
      title: 'New hire',
      fields: [
        { key: 'name', label: 'name', type: 'text', required: true },
        { key: 'team', label: 'Team', type: 'select', options: ['Sales', 'Engineering'] },
        { key: 'cv', label: 'CV', type: 'file' },
      ],
      submitLabel: 'Submit',
      maxFileBytes: 2 * 1024 * 1024,
      access: { kind: 'public' },
      ending: { kind: 'message', text: 'Thank you. Your answers were received.' },
    });
  });

  it('reads access and ending, with defaults for plans frozen before a param existed', () => {
    expect(formTriggerPage({ access: 'password', password: 'cred_x' }).access).toEqual({
      kind: 'password',
      credentialId: 'cred_x',
    });
    expect(formTriggerPage({ access: 'members' }).access).toEqual({ kind: 'members' });
    expect(formTriggerPage({ ending: 'redirect', redirectUrl: 'https://acme.test/next' }).ending).toEqual({
      kind: 'redirect',
      url: 'https://acme.test/next',
    });
    expect(formTriggerPage({}).maxFileBytes).toBe(10 * 1024 * 1024);
  });

  it('accepts its defaults, and names duplicate keys, select fields without options and prototype keys', () => {
    expect(checkParams(spec, {})).toEqual([]);
    expect(spec.check!({ fields: [] })).toEqual([expect.objectContaining({ path: ['fields'], incomplete: true })]);
    expect(
      spec.check!({
        fields: [
          { key: 'a', type: 'text' },
          { key: 'a', type: 'select' },
        ],
      }).map((p) => p.message),
    ).toEqual([
      'Param "fields.1.key": the key "a" is used twice',
      'Param "fields.1.options": a select field needs options, separated by commas',
    ]);
    for (const key of ['__proto__', 'constructor', '1st', 'a b'])
      expect([key, checkParams(spec, { fields: [{ key, type: 'text' }] }).length]).toEqual([key, 1]);
    expect(checkParams(spec, { fields: [{ key: 'x', type: 'password' }] })[0].message).toContain(
      'must be one of text, number, select, date, boolean, textarea, email, file',
    );
  });

  it('wants the password credential and the redirect address when those are chosen', () => {
    expect(spec.check!({ fields: [{ key: 'a', type: 'text' }], access: 'password', ending: 'redirect' })).toEqual([
      expect.objectContaining({ path: ['password'], incomplete: true }),
      expect.objectContaining({ path: ['redirectUrl'], incomplete: true }),
    ]);
    expect(checkParams(spec, { ending: 'redirect', redirectUrl: 'javascript:alert(1)' })[0].message).toContain(
      'only http and https',
    );
  });
});
