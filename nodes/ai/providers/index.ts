// The provider for each kind of registered model. Embedded GGUF models load node-llama-cpp, a native module only
// gpu-queue workers should pay for: it is imported on the first call, never by a web process that merely lists models.
import type { ProviderKind } from '../../../contracts/ai';
import { anthropicProvider } from './anthropic';
import { ollamaProvider } from './ollama';
import { openaiProvider } from './openai';
import type { ModelProvider } from './types';

const localGguf: ModelProvider = {
  chat: async (target, request) => (await import('./llama')).llamaProvider.chat(target, request),
  probe: async (target) => (await import('./llama')).llamaProvider.probe(target),
};

const PROVIDERS: Record<ProviderKind, ModelProvider> = {
  'openai-compatible': openaiProvider,
  anthropic: anthropicProvider,
  ollama: ollamaProvider,
  'local-gguf': localGguf,
};

export function providerFor(kind: ProviderKind): ModelProvider {
  const provider = PROVIDERS[kind];
  if (!provider)
    throw new Error(`No model provider for "${String(kind)}": expected one of ${Object.keys(PROVIDERS).join(', ')}`);
  return provider;
}
