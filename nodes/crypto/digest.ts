// The Crypto node's work on node:crypto. Hash and HMAC are deterministic; uuid and random bytes are not.
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { canonicalJson } from '../../ir/canonical-json';
import type { ParamsOf } from '../define';
import { NodeError } from '../errors';
import { withResult } from '../set-fields/apply';
import { DEFAULT_FIELDS, type spec } from './spec';

export type CryptoParams = ParamsOf<typeof spec.params>;

const invalid = (message: string) => new NodeError(`Crypto: ${message}`, { code: 'param-invalid', retryable: false });

/** The bytes hashed for a value: text as UTF-8, other JSON as its canonical form. */
function bytesOf(value: unknown, operation: string): string {
  if (value === undefined || value === null) {
    throw invalid(
      `the Value to ${operation} is ${value === null ? 'null' : 'empty'} (its expression may have produced nothing); ` +
        `write "" to ${operation} empty text on purpose`,
    );
  }
  return typeof value === 'string' ? value : canonicalJson(value);
}

export function cryptoResult(params: CryptoParams): string {
  switch (params.operation) {
    case 'hash':
      return createHash(params.algorithm)
        .update(bytesOf(params.value, params.operation), 'utf8')
        .digest(params.encoding);
    case 'hmac': {
      if (!params.key) throw invalid('HMAC needs a Key (its expression may have produced nothing)');
      return createHmac(params.algorithm, params.key)
        .update(bytesOf(params.value, params.operation), 'utf8')
        .digest(params.encoding);
    }
    case 'uuid':
      return randomUUID();
    case 'randomBytes':
      return randomBytes(params.length).toString(params.encoding);
  }
}

/** The input object with the result at the output field, or the result alone when the input is not an object. */
export function applyCrypto(params: CryptoParams, input: unknown): unknown {
  const result = cryptoResult(params);
  const field = params.outputField || DEFAULT_FIELDS[params.operation];
  return withResult(input, field, result);
}
