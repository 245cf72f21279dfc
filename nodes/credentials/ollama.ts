// An Ollama server's native API (/api/*). Local servers need no key; one behind a proxy or Ollama's hosted service
// takes a key, sent as a Bearer token. The test lists the pulled models (GET /api/tags), which changes nothing.
import { defineCredentialType, field } from './define';
import { joinUrl, statusWithDetail } from './replies';

export const ollama = defineCredentialType({
  type: 'ollama',
  title: 'Ollama',
  description: 'An Ollama server, local or remote, through its native API.',
  fields: {
    baseUrl: field.url({
      label: 'Base URL',
      description: 'Where Ollama listens, without /api or /v1.',
      default: 'http://127.0.0.1:11434',
      required: true,
    }),
    apiKey: field.secret({
      label: 'API key',
      description: 'Sent as a Bearer token. Leave empty for a local server.',
      maxLength: 4096,
    }),
  },
  async test(values, ctx) {
    const headers: Record<string, string> = values.apiKey ? { authorization: `Bearer ${values.apiKey}` } : {};
    const reply = await ctx.http({ url: joinUrl(values.baseUrl, '/api/tags'), headers });
    const models = (reply.body as { models?: unknown } | null)?.models;
    if (reply.status === 401 || reply.status === 403) {
      return { ok: false, message: `The server refused the key: ${statusWithDetail(reply)}.` };
    }
    if (reply.status !== 200 || !Array.isArray(models)) {
      return {
        ok: false,
        message: `GET /api/tags did not list models (${statusWithDetail(reply)}); check the base URL.`,
      };
    }
    const first = (models[0] as { name?: unknown } | undefined)?.name;
    const example = typeof first === 'string' ? `, e.g. ${first}` : '';
    return { ok: true, message: `Connected to Ollama: ${models.length} models pulled${example}.` };
  },
});
