// Anthropic's Claude API. The test lists the models (GET /v1/models) with the headers Anthropic documents for
// every request: `x-api-key` and `anthropic-version`.
import { defineCredentialType, field } from './define';
import { joinUrl, statusWithDetail } from './replies';

export const ANTHROPIC_VERSION = '2023-06-01';

export const anthropic = defineCredentialType({
  type: 'anthropic',
  title: 'Anthropic',
  description: 'An API key for Claude models.',
  fields: {
    apiKey: field.secret({ label: 'API key', required: true, maxLength: 4096 }),
    baseUrl: field.url({
      label: 'API URL',
      description: 'Change only to go through a gateway or proxy.',
      default: 'https://api.anthropic.com',
      required: true,
    }),
  },
  async test(values, ctx) {
    const reply = await ctx.http({
      url: joinUrl(values.baseUrl, '/v1/models'),
      headers: { 'x-api-key': values.apiKey, 'anthropic-version': ANTHROPIC_VERSION },
    });
    const models = (reply.body as { data?: unknown } | null)?.data;
    if (reply.status === 401 || reply.status === 403) {
      return { ok: false, message: `Anthropic refused the key: ${statusWithDetail(reply)}.` };
    }
    if (reply.status !== 200 || !Array.isArray(models)) {
      return {
        ok: false,
        message: `GET /v1/models did not list models (${statusWithDetail(reply)}); check the API URL.`,
      };
    }
    const first = (models[0] as { display_name?: unknown; id?: unknown } | undefined) ?? {};
    const name = typeof first.display_name === 'string' ? first.display_name : first.id;
    const example = typeof name === 'string' ? `, e.g. ${name}` : '';
    return { ok: true, message: `Connected to Anthropic: ${models.length} models available${example}.` };
  },
});
