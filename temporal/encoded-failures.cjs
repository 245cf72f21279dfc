// Loaded by path into the worker and its workflow bundle (Temporal's `failureConverterPath`, which must be
// require()-able in both, hence plain CommonJS): failure messages and stack traces travel in an encoded payload,
// which the payload codec (temporal/payload-codec.ts) encrypts, instead of history fields in clear.
const { DefaultFailureConverter } = require('@temporalio/common');

exports.failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
