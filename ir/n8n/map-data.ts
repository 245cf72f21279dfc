// n8n data and integration nodes → Baton's: Set, Code, HTTP Request, Send Email, Limit, Rename Keys.
import type { MapContext } from './types';
import type { Mapper, Rec } from './map-values';
import { action, list, num, rec, str } from './map-values';

/** Set: v3.3+ `assignments`, v3.0–3.2 `fields.values`, v1–v2 `values.{string,number,boolean}`. */
export const set: Mapper = (node, ctx) => {
  const p = node.parameters;
  const fields: Rec = {};
  if (p.mode === 'raw') return undefined;
  if (node.typeVersion >= 3.3) {
    for (const a of list(rec(p.assignments).assignments)) fields[str(a.name)] = a.value;
  } else if (node.typeVersion >= 3) {
    for (const f of list(rec(p.fields).values))
      fields[str(f.name)] = f[`${str(f.type, 'stringValue')}`] ?? f.stringValue;
  } else {
    for (const kind of ['string', 'number', 'boolean'])
      for (const f of list(rec(p.values)[kind])) fields[str(f.name)] = f.value;
  }
  const keepInput = node.typeVersion >= 3 ? p.includeOtherFields === true : p.keepOnlySet !== true;
  return action('set-fields', { fields: ctx.text(fields, 'fields'), keepInput });
};

export const code: Mapper = (node) => {
  const p = node.parameters;
  if (node.type.endsWith('.code') && str(p.language, 'javaScript') !== 'javaScript') return undefined;
  const source = str(p.jsCode ?? p.functionCode ?? p.functionItemCode, 'return items;');
  return action('code', { code: source }, [
    'n8n code reads items as { json } wrappers ($input.all(), items[i].json); Baton passes plain values: check the code',
  ]);
};

function pairsTemplate(pairs: Rec[], ctx: MapContext, field: string): Rec {
  const out: Rec = {};
  pairs.forEach((pair, i) => (out[str(pair.name)] = ctx.text(pair.value ?? '', `${field}[${i}].value`)));
  return out;
}

/** HTTP Request: v1–v2 `requestMethod` + JSON strings; v3+ `method`, `send*` switches and name/value lists. */
export const httpRequest: Mapper = (node, ctx) => {
  const p = node.parameters;
  const notes: string[] = [];
  const method = str(node.typeVersion >= 3 ? p.method : p.requestMethod, 'GET').toUpperCase();
  let url = String(ctx.text(str(p.url), 'url'));
  const params: Rec = { method };
  if (node.typeVersion >= 3) {
    const query = list(rec(p.queryParameters).parameters);
    if (p.sendQuery && query.length) {
      const q = Object.entries(pairsTemplate(query, ctx, 'queryParameters'));
      url += (url.includes('?') ? '&' : '?') + q.map(([k, v]) => `${encodeURIComponent(k)}=${String(v)}`).join('&');
      notes.push('query parameters were appended to the URL; values are not URL-encoded');
    }
    const headers = list(rec(p.headerParameters).parameters);
    if (p.sendHeaders && headers.length) params.headers = pairsTemplate(headers, ctx, 'headerParameters');
    if (p.sendBody) {
      if (p.specifyBody === 'json') {
        const text = String(ctx.text(str(p.jsonBody, '{}'), 'jsonBody'));
        try {
          params.body = JSON.parse(text);
          params.bodyType = 'json';
        } catch {
          params.body = text;
          params.bodyType = 'text';
          notes.push('the JSON body is not plain JSON after translation; it is sent as text: check it');
        }
      } else {
        params.bodyType = 'json';
        params.body = pairsTemplate(list(rec(p.bodyParameters).parameters), ctx, 'bodyParameters');
      }
      const type = str(p.contentType, 'json');
      if (type !== 'json') notes.push(`n8n sent the body as ${type}; Baton sends JSON or text`);
    }
  } else if (p.jsonParameters && typeof p.bodyParametersJson === 'string' && p.bodyParametersJson.trim()) {
    params.bodyType = 'text';
    params.body = ctx.text(p.bodyParametersJson, 'bodyParametersJson');
  }
  params.url = url;
  const timeout = num(rec(p.options).timeout);
  if (timeout !== undefined) params.timeoutMs = Math.min(Math.max(1, Math.round(timeout)), 300_000);
  if (str(p.authentication, 'none') !== 'none') {
    params.authentication = 'credential';
    notes.push('pick a credential: n8n credentials are not imported');
  }
  return action('http-request', params, notes);
};

/** Send Email: v1 top-level cc/bcc; v2 `emailFormat` and cc/bcc/replyTo under `options`. */
export const emailSend: Mapper = (node, ctx) => {
  const p = node.parameters;
  const o = rec(p.options);
  const format = str(p.emailFormat, node.typeVersion >= 2 ? 'html' : 'both');
  const field = (key: string, value: unknown) =>
    value === undefined || value === '' ? {} : { [key]: ctx.text(value, key) };
  const notes = o.attachments || p.attachments ? ['attachments were not imported: add them as file values'] : [];
  return action(
    'send-email',
    {
      ...field('from', p.fromEmail),
      ...field('to', p.toEmail),
      ...field('cc', p.ccEmail ?? o.ccEmail),
      ...field('bcc', p.bccEmail ?? o.bccEmail),
      ...field('replyTo', o.replyTo),
      ...field('subject', p.subject),
      ...(format !== 'html' ? field('text', p.text) : {}),
      ...(format !== 'text' ? field('html', p.html) : {}),
    },
    notes,
  );
};

export const limit: Mapper = (node) =>
  action('limit', {
    count: num(node.parameters.maxItems) ?? 1,
    from: node.parameters.keep === 'lastItems' ? 'last' : 'first',
  });

/** Rename Keys: `keys.key[]` of { currentKey, newKey }; its regex option has no equivalent here. */
export const renameKeys: Mapper = (node) => {
  const renames: Record<string, string> = {};
  for (const k of list(rec(node.parameters.keys).key)) renames[str(k.currentKey)] = str(k.newKey);
  const regex = rec(node.parameters.additionalOptions).regexReplacement;
  const notes = regex ? ['the regex renames were not imported: set Key pattern and Replacement'] : [];
  return action('rename-keys', { renames, keepUnlisted: true }, notes);
};
