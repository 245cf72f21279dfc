// Calls an HTTP API. Every request carries `Idempotency-Key`, stable across retries of the same step. Internal
// destinations are refused on every redirect hop (address-policy.ts) unless BATON_HTTP_ALLOW_HOSTS allows them.
import { z } from 'zod';
import { defineNode, param } from '../define';
import { DEFAULT_MAX_PAGES, PAGINATION_MODES } from './pagination';

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;
export const BODY_TYPES = ['none', 'json', 'text'] as const;
export const AUTHENTICATIONS = ['none', 'credential'] as const;
/** How the response body is output: parsed by its Content-Type (auto), as JSON, as text, or stored as a file. */
export const RESPONSE_FORMATS = ['auto', 'json', 'text', 'file'] as const;
/** The credential types (nodes/credentials) the node knows how to send. */
export const HTTP_CREDENTIAL_TYPES = [
  'http-header-auth',
  'basic-auth',
  'bearer-token',
  'oauth2-client-credentials',
] as const;

/** RFC 9110 token characters. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const headers = param.keyValue({
  label: 'Headers',
  description: 'Request headers. Idempotency-Key is always added.',
  placeholder: 'Accept: application/json',
  default: {},
});

export const spec = defineNode({
  type: 'http-request',
  version: 1,
  title: 'HTTP request',
  description: 'Send an HTTP request and output the response status, headers and body, or the body as a file.',
  category: 'core',
  icon: 'globe',
  inputs: [{ id: 'in', label: 'Input' }],
  outputs: [{ id: 'out', label: 'Response' }],
  params: {
    method: param.select({
      label: 'Method',
      placeholder: 'GET',
      values: HTTP_METHODS,
      options: HTTP_METHODS.map((m) => ({ value: m, label: m })),
      default: 'GET',
      expression: false,
    }),
    url: param.url({
      label: 'URL',
      description: 'Private, loopback and cloud metadata addresses are refused unless an administrator allows them.',
      placeholder: 'https://api.example.com/users/{{ $input.id }}',
      required: true,
    }),
    headers: {
      ...headers,
      schema: headers.schema.superRefine((rec, ctx) => {
        for (const [name, value] of Object.entries(rec)) {
          if (!HEADER_NAME.test(name))
            ctx.addIssue({
              code: z.ZodIssueCode.custom,
              message: `"${name}" is not a valid header name`,
              path: [name],
            });
          else if (/[\r\n\0]/.test(value))
            ctx.addIssue({
              code: z.ZodIssueCode.custom,
              message: 'header values cannot contain line breaks',
              path: [name],
            });
        }
      }),
    },
    // No default: plans of nodes saved before authentication existed keep their hashes; absent means none.
    authentication: param.select({
      label: 'Authentication',
      description: 'A credential from the credentials page; its secret never appears in the workflow or the run.',
      placeholder: 'None',
      values: AUTHENTICATIONS,
      options: [
        { value: 'none', label: 'None' },
        { value: 'credential', label: 'Credential' },
      ],
      expression: false,
    }),
    credential: param.credential({
      label: 'Credential',
      description: 'Header auth, Basic auth, Bearer token or OAuth2 client credentials.',
      placeholder: 'Pick a credential',
      types: HTTP_CREDENTIAL_TYPES,
      showWhen: { param: 'authentication', oneOf: ['credential'] },
    }),
    bodyType: param.select({
      label: 'Body',
      placeholder: 'none',
      values: BODY_TYPES,
      options: [
        { value: 'none', label: 'None' },
        { value: 'json', label: 'JSON' },
        { value: 'text', label: 'Text' },
      ],
      default: 'none',
      expression: false,
    }),
    body: param.json({
      label: 'Body content',
      description: 'JSON for a JSON body; a string (or JSON, sent as text) for a text body.',
      placeholder: '{ "email": "{{ $input.email }}" }',
    }),
    timeoutMs: param.number({
      label: 'Timeout (ms)',
      placeholder: '30000',
      int: true,
      min: 1,
      max: 300_000,
      default: 30_000,
      expression: false,
    }),
    // No default: absent means auto, and plans saved before this param keep their hashes.
    response: param.select({
      label: 'Response',
      description:
        'File: the body is stored as a file value (a PDF, an export) for Send email, documents and the run page.',
      placeholder: 'By its Content-Type',
      values: RESPONSE_FORMATS,
      options: [
        { value: 'auto', label: 'By its Content-Type (JSON or text)' },
        { value: 'json', label: 'JSON' },
        { value: 'text', label: 'Text' },
        { value: 'file', label: 'File' },
      ],
      expression: false,
    }),
    fileName: param.text({
      label: 'File name',
      description: "Empty: the name the server gives (Content-Disposition), else the URL's last segment.",
      placeholder: 'contract.pdf',
      maxLength: 200,
      showWhen: { param: 'response', oneOf: ['file'] },
    }),
    // No default: absent means one request, and plans saved before pagination keep their hashes.
    pagination: param.select({
      label: 'Pagination',
      description: 'Follow the API’s pages and output their items as one list.',
      placeholder: 'None',
      values: PAGINATION_MODES,
      options: [
        { value: 'none', label: 'None' },
        { value: 'next-url', label: 'Next page URL in the response body' },
        { value: 'link-header', label: 'Link header (rel="next")' },
        { value: 'cursor', label: 'Cursor in the response body' },
        { value: 'offset', label: 'Offset and page size' },
      ],
      expression: false,
    }),
    itemsPath: param.text({
      label: 'Items path',
      description: 'Where each page’s list is in its body, as a dot path (data, results.items). Empty: the body.',
      placeholder: 'data',
      maxLength: 200,
      expression: false,
      showWhen: { param: 'pagination', oneOf: ['next-url', 'link-header', 'cursor', 'offset'] },
    }),
    nextUrlPath: param.text({
      label: 'Next URL path',
      description: 'Where the next page’s URL is in the body; pagination stops when it is empty.',
      placeholder: 'paging.next',
      maxLength: 200,
      expression: false,
      showWhen: { param: 'pagination', oneOf: ['next-url'] },
    }),
    cursorPath: param.text({
      label: 'Cursor path',
      description: 'Where the next cursor is in the body; pagination stops when it is empty.',
      placeholder: 'next_cursor',
      maxLength: 200,
      expression: false,
      showWhen: { param: 'pagination', oneOf: ['cursor'] },
    }),
    cursorParam: param.text({
      label: 'Cursor parameter',
      description: 'The query parameter that sends the cursor back.',
      placeholder: 'cursor',
      maxLength: 100,
      expression: false,
      showWhen: { param: 'pagination', oneOf: ['cursor'] },
    }),
    offsetParam: param.text({
      label: 'Offset parameter',
      description: 'The query parameter of the offset; it starts at 0 unless the URL sets it.',
      placeholder: 'offset',
      maxLength: 100,
      expression: false,
      showWhen: { param: 'pagination', oneOf: ['offset'] },
    }),
    limitParam: param.text({
      label: 'Page size parameter',
      description: 'The query parameter of the page size (left out when empty).',
      placeholder: 'limit',
      maxLength: 100,
      expression: false,
      showWhen: { param: 'pagination', oneOf: ['offset'] },
    }),
    pageSize: param.number({
      label: 'Page size',
      description: 'Items per page; a shorter page is the last.',
      placeholder: '100',
      int: true,
      min: 1,
      max: 10_000,
      expression: false,
      showWhen: { param: 'pagination', oneOf: ['offset'] },
    }),
    maxPages: param.number({
      label: 'Max pages',
      description: `Stop after this many pages (the output says truncated). Default ${DEFAULT_MAX_PAGES}.`,
      placeholder: String(DEFAULT_MAX_PAGES),
      int: true,
      min: 1,
      max: 10_000,
      expression: false,
      showWhen: { param: 'pagination', oneOf: ['next-url', 'link-header', 'cursor', 'offset'] },
    }),
    failOnHttpError: param.boolean({
      label: 'Fail on HTTP error status',
      description: 'Fail the step when the response status is not 2xx. Off: output the response anyway.',
      placeholder: 'true',
      default: true,
      expression: false,
    }),
  },
  check: (params) =>
    params.response === 'file' && (params.pagination ?? 'none') !== 'none'
      ? [{ path: ['response'], message: 'Param "response": a file cannot be paginated; set Pagination to None' }]
      : [],
  runtime: { kind: 'activity', taskQueue: 'default' },
  // The activity must outlive the longest request the params allow.
  policy: { timeoutMs: 330_000 },
});
