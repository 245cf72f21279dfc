// An API that speaks OpenAI's REST dialect: OpenAI itself, Azure-style gateways, vLLM, Ollama, LM Studio…
// The test lists the models (GET {base}/models), which every such server offers and which changes nothing.
import { defineCredentialType, field } from './define';
import { joinUrl, statusWithDetail } from './replies';

export const openaiCompatible = defineCredentialType({
  type: 'openai-compatible',
  title: 'OpenAI-compatible API',
  description: 'OpenAI, or any server with the same API (vLLM, Ollama, LM Studio, gateways).',
  fields: {
    baseUrl: field.url({
      label: 'Base URL',
      description: 'Up to and including the version, e.g. https://api.openai.com/v1.',
      default: 'https://api.openai.com/v1',
      required: true,
    }),
    apiKey: field.secret({
      label: 'API key',
      description: 'Sent as a Bearer token. Leave empty for local servers that need none.',
      maxLength: 4096,
    }),
  },
  async test(values, ctx) {
    const headers: Record<string, string> = values.apiKey ? { authorization: `Bearer ${values.apiKey}` } : {};
    const reply = await ctx.http({ url: joinUrl(values.baseUrl, '/models'), headers });
    const models = (reply.body as { data?: unknown } | null)?.data;
    if (reply.status === 401 || reply.status === 403) {
      return { ok: false, message: `The API refused the key: ${statusWithDetail(reply)}.` };
    }
    if (reply.status !== 200 || !Array.isArray(models)) {
      return {
        ok: false,
        message: `GET /models did not list models (${statusWithDetail(reply)}); check the base URL.`,
      };
    }
    const first = (models[0] as { id?: unknown } | undefined)?.id;
    const example = typeof first === 'string' ? `, e.g. ${first}` : '';
    return { ok: true, message: `Connected: the API lists ${models.length} models${example}.` };
  },
});
