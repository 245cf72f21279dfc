import { ExpressionError } from './errors';
import { MAX_EXPRESSION_DOTS, MAX_EXPRESSION_LENGTH, parseTemplate } from './template';

describe('parseTemplate', () => {
  it('splits text and expressions', () => {
    expect(parseTemplate('Hi {{ $input.name }}, you are {{$input.age}}')).toEqual([
      { text: 'Hi ' },
      { expr: '$input.name' },
      { text: ', you are ' },
      { expr: '$input.age' },
    ]);
  });

  it('keeps braces that belong to JSONata objects and strings', () => {
    expect(parseTemplate('{{ {"a": {"b": 1}} }}')).toEqual([{ expr: '{"a": {"b": 1}}' }]);
    expect(parseTemplate('{{ "}}" & \'}}\' }}!')).toEqual([{ expr: '"}}" & \'}}\'' }, { text: '!' }]);
    expect(parseTemplate('{{ /* }} */ 1 }}')).toEqual([{ expr: '/* }} */ 1' }]);
  });

  it('treats a string without {{ as plain text', () => {
    expect(parseTemplate('no braces } here')).toEqual([{ text: 'no braces } here' }]);
  });

  it('rejects unclosed, empty and oversized expressions', () => {
    expect(() => parseTemplate('a {{ $input')).toThrow(/Unclosed "\{\{" at character 3/);
    expect(() => parseTemplate('{{   }}')).toThrow(/Empty expression/);
    expect(() => parseTemplate(`{{ ${'1+'.repeat(MAX_EXPRESSION_LENGTH)}1 }}`)).toThrow(ExpressionError);
  });

  it('rejects long path chains, which JSONata parses in quadratic time (found by ir/fuzz.test.ts)', () => {
    const steps = (n: number) => `{{ $${'.a'.repeat(n)} }}`;
    expect(parseTemplate(steps(MAX_EXPRESSION_DOTS))).toHaveLength(1);
    expect(() => parseTemplate(steps(3800))).toThrow(/3800 path steps \("\."\); the limit is 100/);
    // Dots inside strings, backtick names and comments are not steps.
    const quoted = `{{ $input.a & "${'.'.repeat(500)}" & \`${'.'.repeat(500)}\` /* ${'.'.repeat(500)} */ }}`;
    expect(parseTemplate(quoted)).toHaveLength(1);
  });
});
