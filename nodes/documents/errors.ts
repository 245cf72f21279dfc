// Problems with a document node's params, by field label ("Template", "Content (block 3)"), turned into the step's
// error as "<node>: <field>: <problem>; fix the <field> parameter", like Send Email's.
import { NodeError } from '../errors';

export class DocumentFieldError extends Error {
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = 'DocumentFieldError';
  }
}

/**
 * Runs a document node's work, reporting field problems as final `param-invalid` errors under the node's title.
 * Errors the file store raised (RunFiles) already name their field and pass through with the title added.
 */
export async function asNodeErrors<T>(title: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof DocumentFieldError) {
      const param = err.field.replace(/ \(.*$/, '');
      throw new NodeError(`${title}: ${err.message}; fix the ${param} parameter`, {
        code: 'param-invalid',
        retryable: false,
      });
    }
    if (err instanceof NodeError && !err.message.startsWith(`${title}:`))
      throw new NodeError(`${title}: ${err.message}`, { code: err.code, retryable: err.retryable, cause: err });
    throw err;
  }
}
