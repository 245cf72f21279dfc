// One block per supported n8n node: its parameters (per type version, as n8n exports them) map to Baton params,
// and the imported document compiles (only `incomplete` diagnostics, such as a credential still to pick).
import { importN8nWorkflow } from './import';
import { afterTrigger, compileImported, type N8nNodeJson } from './testing';

function importOne(node: N8nNodeJson) {
  const imported = importN8nWorkflow(afterTrigger(node));
  const { result, blocking } = compileImported(imported.document);
  expect(blocking).toEqual([]);
  const mapped = imported.document.nodes.find((n) => n.name === node.name);
  if (!mapped) throw new Error(`node ${node.name} missing from the import`);
  expect(mapped.disabled).toBeUndefined();
  return { node: mapped, summary: imported.summary, result };
}

describe('Manual trigger and Webhook', () => {
  it('manualTrigger → manual-trigger, and the document compiles to a plan', () => {
    const imported = importN8nWorkflow(afterTrigger({ name: 'Noop', type: 'n8n-nodes-base.noOp' }));
    expect(imported.document.nodes[0]).toMatchObject({ type: 'manual-trigger', params: {} });
    expect(compileImported(imported.document).result.ok).toBe(true);
  });

  it('webhook → webhook-trigger with path, method and "respond when the last node finishes"', () => {
    const imported = importN8nWorkflow({
      nodes: [
        {
          name: 'Hook',
          type: 'n8n-nodes-base.webhook',
          typeVersion: 2,
          position: [0, 0],
          parameters: { httpMethod: 'PUT', path: 'hires/:id', responseMode: 'lastNode', authentication: 'headerAuth' },
        },
      ],
      connections: {},
    });
    expect(imported.document.nodes[0]).toMatchObject({
      type: 'webhook-trigger',
      params: { path: 'hires/-id', method: 'PUT', waitForCompletion: true },
    });
    expect(imported.summary.notes.map((n) => n.message)).toEqual([
      'webhook path "hires/:id" became "hires/-id" (Baton paths take letters, digits, "-", "_")',
      'n8n webhook authentication "headerAuth": set the trigger\'s Authentication again',
    ]);
    expect(compileImported(imported.document).blocking).toEqual([]);
  });
});

describe('Schedule trigger', () => {
  it.each([
    [
      { field: 'minutes', minutesInterval: 15 },
      { mode: 'interval', every: 15, unit: 'minutes' },
    ],
    [
      { field: 'cronExpression', expression: '0 9 * * 1-5' },
      { mode: 'cron', cron: '0 9 * * 1-5' },
    ],
  ])('rule %j → %j', (rule, params) => {
    const imported = importN8nWorkflow({
      nodes: [
        {
          name: 'Every',
          type: 'n8n-nodes-base.scheduleTrigger',
          typeVersion: 1.2,
          parameters: { rule: { interval: [rule] } },
        },
      ],
      connections: {},
    });
    expect(imported.document.nodes[0]).toMatchObject({ type: 'schedule-trigger', params });
    expect(compileImported(imported.document).result.ok).toBe(true);
  });
});

describe('Set (Edit Fields)', () => {
  it('v3.4 assignments → fields, includeOtherFields → keepInput', () => {
    const { node } = importOne({
      name: 'Edit',
      type: 'n8n-nodes-base.set',
      typeVersion: 3.4,
      parameters: {
        assignments: { assignments: [{ id: '1', name: 'email', value: '={{ $json.mail }}', type: 'string' }] },
        includeOtherFields: false,
      },
    });
    expect(node).toMatchObject({
      type: 'set-fields',
      params: { fields: { email: '{{ $input.mail }}' }, keepInput: false },
    });
  });

  it('v3.0 fields.values use the value key named by their type', () => {
    const { node } = importOne({
      name: 'Edit',
      type: 'n8n-nodes-base.set',
      typeVersion: 3,
      parameters: {
        fields: { values: [{ name: 'n', type: 'numberValue', numberValue: 4 }] },
        includeOtherFields: true,
      },
    });
    expect(node.params).toEqual({ fields: { n: 4 }, keepInput: true });
  });

  it('v2 values.{string,number,boolean} with keepOnlySet', () => {
    const { node } = importOne({
      name: 'Set',
      type: 'n8n-nodes-base.set',
      typeVersion: 2,
      parameters: {
        keepOnlySet: true,
        values: { string: [{ name: 's', value: 'x' }], boolean: [{ name: 'b', value: true }] },
      },
    });
    expect(node.params).toEqual({ fields: { s: 'x', b: true }, keepInput: false });
  });
});

describe('If', () => {
  it('v2 conditions with an operator object', () => {
    const { node } = importOne({
      name: 'Check',
      type: 'n8n-nodes-base.if',
      typeVersion: 2,
      parameters: {
        conditions: {
          conditions: [
            { leftValue: '={{ $json.age }}', rightValue: 18, operator: { type: 'number', operation: 'gte' } },
          ],
          combinator: 'and',
        },
      },
    });
    expect(node).toMatchObject({ type: 'if', params: { left: '{{ $input.age }}', operator: 'gte', right: 18 } });
  });

  it('v1 string conditions; extra conditions are reported', () => {
    const { node, summary } = importOne({
      name: 'Check',
      type: 'n8n-nodes-base.if',
      typeVersion: 1,
      parameters: {
        conditions: {
          string: [{ value1: '={{ $json.mail }}', operation: 'contains', value2: '@acme' }],
          boolean: [{ value1: '={{ $json.ok }}', operation: 'equal', value2: true }],
        },
      },
    });
    expect(node.params).toEqual({ left: '{{ $input.mail }}', operator: 'contains', right: '@acme' });
    expect(summary.notes).toEqual([
      { node: 'Check', message: 'n8n combined 2 conditions; only the first was imported: add the others' },
    ]);
  });
});

describe('Merge', () => {
  it.each([
    [{}, 'append'],
    [{ mode: 'combine', combineBy: 'combineByPosition' }, 'combine'],
    [{ mode: 'chooseBranch' }, 'first'],
  ])('mode %j → %s', (parameters, mode) => {
    expect(importOne({ name: 'Join', type: 'n8n-nodes-base.merge', typeVersion: 3, parameters }).node.params).toEqual({
      mode,
    });
  });
});

describe('Code', () => {
  it('JavaScript code (v2 jsCode, v1 Function functionCode) → code, with a note on items', () => {
    for (const [type, parameters] of [
      ['n8n-nodes-base.code', { jsCode: 'return $input.all();' }],
      ['n8n-nodes-base.function', { functionCode: 'return items;' }],
    ] as const) {
      const { node, summary } = importOne({ name: 'Run', type, typeVersion: 2, parameters });
      expect(node).toMatchObject({ type: 'code', params: { code: Object.values(parameters)[0] } });
      expect(summary.notes[0].message).toContain('check the code');
    }
  });

  it('Python code becomes a placeholder', () => {
    const imported = importN8nWorkflow(
      afterTrigger({
        name: 'Py',
        type: 'n8n-nodes-base.code',
        typeVersion: 2,
        parameters: { language: 'python', pythonCode: 'return []' },
      }),
    );
    expect(imported.summary.placeholders).toEqual([
      { node: 'Py', originalType: 'n8n-nodes-base.code', replaceWith: 'Code (JavaScript)' },
    ]);
  });
});

describe('HTTP Request', () => {
  it('v4 method, URL with query, headers, JSON body, timeout and a credential to pick', () => {
    const { node, summary } = importOne({
      name: 'Call',
      type: 'n8n-nodes-base.httpRequest',
      typeVersion: 4.2,
      parameters: {
        method: 'PATCH',
        url: '=https://api.example.com/users/{{ $json.id }}',
        authentication: 'predefinedCredentialType',
        nodeCredentialType: 'githubApi',
        sendQuery: true,
        queryParameters: { parameters: [{ name: 'dry run', value: 'yes' }] },
        sendHeaders: true,
        headerParameters: { parameters: [{ name: 'X-Team', value: '={{ $json.team }}' }] },
        sendBody: true,
        specifyBody: 'json',
        jsonBody: '={ "name": "{{ $json.name }}" }',
        options: { timeout: 5000 },
      },
      credentials: { githubApi: { id: '1', name: 'GitHub' } },
    });
    expect(node).toMatchObject({
      type: 'http-request',
      params: {
        method: 'PATCH',
        url: 'https://api.example.com/users/{{ $input.id }}?dry%20run=yes',
        headers: { 'X-Team': '{{ $input.team }}' },
        bodyType: 'json',
        body: { name: '{{ $input.name }}' },
        timeoutMs: 5000,
        authentication: 'credential',
      },
    });
    expect(summary.credentials).toEqual([{ node: 'Call', n8nType: 'githubApi', n8nName: 'GitHub' }]);
  });

  it('v1 requestMethod and a JSON body string', () => {
    const { node } = importOne({
      name: 'Call',
      type: 'n8n-nodes-base.httpRequest',
      typeVersion: 1,
      parameters: {
        requestMethod: 'POST',
        url: 'https://example.com/x',
        jsonParameters: true,
        bodyParametersJson: '{"a":1}',
      },
    });
    expect(node.params).toMatchObject({
      method: 'POST',
      url: 'https://example.com/x',
      bodyType: 'text',
      body: '{"a":1}',
    });
  });
});

describe('Wait', () => {
  it.each([
    [
      { amount: 30, unit: 'minutes' },
      { mode: 'duration', amount: 30, unit: 'minutes' },
    ],
    [
      { resume: 'specificTime', dateTime: '2027-01-01T09:00:00Z' },
      { mode: 'until', until: '2027-01-01T09:00:00Z' },
    ],
    [
      { resume: 'webhook', limitWaitTime: true, resumeAmount: 3, resumeUnit: 'days' },
      { mode: 'webhook', timeoutAmount: 3, timeoutUnit: 'days' },
    ],
  ])('%j → %j', (parameters, params) => {
    expect(importOne({ name: 'Pause', type: 'n8n-nodes-base.wait', typeVersion: 1.1, parameters }).node.params).toEqual(
      params,
    );
  });
});

describe('Send Email', () => {
  it('v2.1 with options and an SMTP credential to pick', () => {
    const { node, summary } = importOne({
      name: 'Mail',
      type: 'n8n-nodes-base.emailSend',
      typeVersion: 2.1,
      parameters: {
        fromEmail: 'hr@acme.test',
        toEmail: '={{ $json.email }}',
        subject: 'Welcome',
        emailFormat: 'html',
        html: '=<p>Hi {{ $json.name }}</p>',
        options: { ccEmail: 'boss@acme.test', replyTo: 'hr@acme.test' },
      },
      credentials: { smtp: { id: '3', name: 'SMTP' } },
    });
    expect(node).toMatchObject({
      type: 'send-email',
      params: {
        from: 'hr@acme.test',
        to: '{{ $input.email }}',
        cc: 'boss@acme.test',
        replyTo: 'hr@acme.test',
        subject: 'Welcome',
        html: '<p>Hi {{ $input.name }}</p>',
      },
    });
    expect(node.params.text).toBeUndefined();
    expect(summary.credentials).toEqual([{ node: 'Mail', n8nType: 'smtp', n8nName: 'SMTP' }]);
  });
});

describe('No Op, Stop and Error, Limit', () => {
  it('noOp → a set-fields that passes its input on', () => {
    expect(importOne({ name: 'Nothing', type: 'n8n-nodes-base.noOp' }).node).toMatchObject({
      type: 'set-fields',
      params: { fields: {}, keepInput: true },
    });
  });

  it('stopAndError → stop-and-error with the message', () => {
    expect(
      importOne({
        name: 'Fail',
        type: 'n8n-nodes-base.stopAndError',
        parameters: { errorMessage: '=No {{ $json.id }}' },
      }).node,
    ).toMatchObject({ type: 'stop-and-error', params: { message: 'No {{ $input.id }}' } });
  });

  it('limit → limit', () => {
    expect(
      importOne({ name: 'Top', type: 'n8n-nodes-base.limit', parameters: { maxItems: 3, keep: 'lastItems' } }).node
        .params,
    ).toEqual({ count: 3, from: 'last' });
  });
});

describe('Rename Keys', () => {
  it('keys.key[] → renames, other fields kept; regex renames reported', () => {
    const { node, summary } = importOne({
      name: 'Rename',
      type: 'n8n-nodes-base.renameKeys',
      parameters: {
        keys: { key: [{ currentKey: 'first_name', newKey: 'firstName' }] },
        additionalOptions: { regexReplacement: { replacements: [{ searchRegex: '^x_', replaceRegex: '' }] } },
      },
    });
    expect(node).toMatchObject({
      type: 'rename-keys',
      params: { renames: { first_name: 'firstName' }, keepUnlisted: true },
    });
    expect(summary.notes).toEqual([
      { node: 'Rename', message: 'the regex renames were not imported: set Key pattern and Replacement' },
    ]);
  });
});
