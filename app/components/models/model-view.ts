// How the browser shows a registered model (db/models.ts, as /api/models and the Models page's loader send it):
// provider names, what a probe found as short badge texts, context sizes and prices in a few characters.
import type { JsonSupport, ModelCapabilities, ModelPrices, ProviderKind } from '../../../contracts/ai';

/** A registry entry as JSON carries it (dates as strings). */
export interface ModelRow {
  id: string;
  name: string;
  provider: ProviderKind;
  credentialId?: string;
  model: string;
  prices: ModelPrices;
  concurrency: number;
  contextLength?: number;
  capabilities?: ModelCapabilities;
  probedAt?: string;
  probeError?: string;
  updatedAt: string;
}

export const PROVIDER_LABELS: Record<ProviderKind, string> = {
  'openai-compatible': 'OpenAI-compatible',
  anthropic: 'Anthropic',
  ollama: 'Ollama',
  'local-gguf': 'Local GGUF file',
};

/** What the model field holds for each provider, as an example. */
export const MODEL_PLACEHOLDERS: Record<ProviderKind, string> = {
  'openai-compatible': 'gpt-4o-mini',
  anthropic: 'claude-3-5-haiku-latest',
  ollama: 'llama3.1:8b',
  'local-gguf': 'qwen2.5-0.5b-instruct-q4_k_m.gguf',
};

const JSON_LABELS: Record<JsonSupport, string> = {
  schema: 'JSON: schema',
  grammar: 'JSON: grammar',
  object: 'JSON: object',
  none: 'JSON: none',
};

/** 8192 → "8k", 128000 → "128k", 1048576 → "1M": the way model cards write context sizes. */
export function contextLabel(tokens: number): string {
  if (tokens >= 1_000_000)
    return `${Math.round((tokens / (tokens % 1_048_576 === 0 ? 1_048_576 : 1_000_000)) * 10) / 10}M`;
  if (tokens >= 1000) return `${Math.round(tokens / (tokens % 1024 === 0 ? 1024 : 1000))}k`;
  return String(tokens);
}

export interface Badge {
  text: string;
  /** `on`: the model has it; `off`: the probe found it missing. */
  tone: 'on' | 'off';
  title: string;
}

/** The probe result as badges, in a fixed order; an entry's own context length overrides the probe's. */
export function capabilityBadges(model: Pick<ModelRow, 'capabilities' | 'contextLength'>): Badge[] {
  const caps = model.capabilities;
  if (!caps) return [];
  const badges: Badge[] = [
    caps.toolCalling
      ? { text: 'Tools', tone: 'on', title: 'Calls tools natively.' }
      : { text: 'No tools', tone: 'off', title: 'No native tool calling: agents use a JSON tool protocol instead.' },
    {
      text: JSON_LABELS[caps.json],
      tone: caps.json === 'none' ? 'off' : 'on',
      title:
        caps.json === 'none'
          ? 'No JSON mode: structured answers are asked for in the prompt and checked.'
          : `Structured answers through ${caps.json === 'object' ? 'JSON mode' : `a JSON ${caps.json}`}.`,
    },
  ];
  const context = model.contextLength ?? caps.contextLength;
  if (context)
    badges.push({
      text: `Context ${contextLabel(context)}`,
      tone: 'on',
      title: `${context.toLocaleString('en')} tokens.`,
    });
  if (caps.vision) badges.push({ text: 'Vision', tone: 'on', title: 'Reads images.' });
  return badges;
}

const money = (n: number) => `$${Number(n.toPrecision(4)).toLocaleString('en', { maximumFractionDigits: 6 })}`;

/** "$0.15 in · $0.6 out per 1M tokens", "$0.0004 per GPU-second", or "Free". */
export function priceLines(prices: ModelPrices): string[] {
  const lines: string[] = [];
  if (prices.inputPerMTok || prices.outputPerMTok)
    lines.push(`${money(prices.inputPerMTok)} in · ${money(prices.outputPerMTok)} out per 1M tokens`);
  if (prices.perGpuSecond) lines.push(`${money(prices.perGpuSecond)} per GPU-second`);
  return lines.length ? lines : ['Free'];
}
