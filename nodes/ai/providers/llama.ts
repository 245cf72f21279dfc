// The embedded local model ('local-gguf'): a GGUF file run in-process by node-llama-cpp on the gpu-queue worker.
// Messages become one plain transcript (System: / User: / Assistant: / Tool result lines) that LlamaCompletion
// continues; JSON output is held to its schema by a grammar; tools go through the JSON envelope protocol
// (../tool-protocol.ts), since these models have no native tool calling. Server-side only.
import { LlamaCompletion, type GbnfJsonSchema, type Llama, type LlamaGrammar } from 'node-llama-cpp';
import type { ChatMessage, ChatRequest, JsonSchema, ModelCapabilities, ModelReply } from '../../../contracts/ai';
import { withToolProtocol } from '../tool-protocol';
import { callSignals } from './errors';
import { describeLocalModel, withLocalModel, type ModelLease } from './llama-pool';
import { toGrammarSchema } from './llama-schema';
import { ModelCallError, type ModelProvider, type ModelTarget } from './types';

/** What every GGUF model run here supports: JSON through a grammar, tools through the envelope protocol on top. */
export const LOCAL_GGUF_CAPABILITIES: ModelCapabilities = {
  toolCalling: false,
  json: 'grammar',
  vision: false,
  notes: ['tools via JSON grammar protocol'],
};

/** Where a turn of the transcript starts: a text reply stops there rather than writing the next turn itself. */
const TURN_STARTS = ['\nUser:', '\nSystem:', '\nTool result'];

const completionProvider: ModelProvider = { chat: completeLocally, probe: probeLocally };

export const llamaProvider: ModelProvider = withToolProtocol(completionProvider, LOCAL_GGUF_CAPABILITIES);

/** The transcript the model continues after "Assistant:"; one plain form for every GGUF model. */
export function formatPrompt(messages: ChatMessage[]): string {
  const turns = messages.map((message) => {
    switch (message.role) {
      case 'system':
        return `System: ${message.content}`;
      case 'user':
        return `User: ${message.content}`;
      case 'assistant': {
        const calls = (message.toolCalls ?? []).map(
          (call) =>
            `{"tool": ${JSON.stringify(call.name)}, "arguments": ${call.rawArguments ?? JSON.stringify(call.arguments)}}`,
        );
        return `Assistant: ${[message.content, ...calls].filter(Boolean).join('\n')}`;
      }
      case 'tool':
        return `Tool result (${message.name}${message.isError ? ', failed' : ''}): ${message.content}`;
    }
  });
  return `${turns.join('\n\n')}\n\nAssistant:`;
}

async function completeLocally(target: ModelTarget, request: ChatRequest): Promise<ModelReply> {
  const signals = callSignals(target, request.signal);
  try {
    return await withLocalModel(
      target.model,
      target.contextLength,
      signals.signal,
      (lease) => generate(lease, target, request, signals.signal),
      target.concurrency,
    );
  } catch (err) {
    // Our own timeout, not the caller's cancellation (passed on as it came: the router should not fall back on it).
    if (signals.timeout.aborted && !signals.caller?.aborted) {
      throw new ModelCallError(
        'timeout',
        `Model ${target.model}: the local model did not finish within ${target.timeoutMs} ms`,
      );
    }
    throw err;
  }
}

async function generate(
  lease: ModelLease,
  target: ModelTarget,
  request: ChatRequest,
  signal: AbortSignal,
): Promise<ModelReply> {
  const { model, contextSize } = lease;
  const withBos = model.tokens.shouldPrependBosToken && model.tokens.bos !== null;
  // Tokenized as LlamaCompletion would (it prepends the BOS token itself), so the count is the model's real input.
  const promptTokens = model.tokenize(formatPrompt(request.messages), false, withBos ? 'trimLeadingSpace' : undefined);
  const inputTokens = promptTokens.length + (withBos ? 1 : 0);
  if (inputTokens >= contextSize) {
    throw new ModelCallError(
      'context-overflow',
      `the prompt is ${inputTokens} tokens and local model ${target.model} holds ${contextSize}: ` +
        'shorten the prompt or give the model a larger context length.',
    );
  }
  const grammar =
    request.output?.kind === 'json' ? await grammarFor(lease.llama, request.output.schema, target) : undefined;
  const completion = new LlamaCompletion({ contextSequence: lease.sequence });
  let outputTokens = 0;
  const started = performance.now();
  try {
    const { response, metadata } = await completion.generateCompletionWithMeta(promptTokens, {
      grammar,
      signal,
      maxTokens: request.maxTokens,
      temperature: request.temperature,
      seed: request.seed,
      customStopTriggers: grammar ? undefined : TURN_STARTS,
      onTextChunk: afterLeadingSpace(request.onText),
      onToken: (tokens) => (outputTokens += tokens.length),
      // Never drop the start of the prompt to make room: a prompt that does not fit is an overflow (checked above).
      disableContextShift: true,
      contextShiftSize: 1,
    });
    return {
      text: grammar ? response.trim() : response.trimStart(),
      toolCalls: [],
      usage: { inputTokens, outputTokens },
      finishReason: metadata.stopReason === 'maxTokens' ? 'length' : 'stop',
      model: target.model,
      computeMs: Math.round(performance.now() - started),
    };
  } catch (err) {
    if (signal.aborted) throw err;
    throw new ModelCallError('server', `local model ${target.model} failed while generating: ${messageOf(err)}`);
  } finally {
    completion.dispose();
  }
}

async function grammarFor(llama: Llama, schema: JsonSchema, target: ModelTarget): Promise<LlamaGrammar> {
  try {
    return await llama.createGrammarForJsonSchema<GbnfJsonSchema>(toGrammarSchema(schema) as GbnfJsonSchema);
  } catch (err) {
    const message = `the output schema cannot be turned into a grammar for local model ${target.model}: ${messageOf(err)}`;
    throw new ModelCallError('bad-request', message);
  }
}

async function probeLocally(target: ModelTarget): Promise<ModelCapabilities> {
  const { gpu, trainContextSize, contextSize } = await describeLocalModel(target.model, target.contextLength);
  return {
    ...LOCAL_GGUF_CAPABILITIES,
    contextLength: contextSize,
    notes: [
      ...LOCAL_GGUF_CAPABILITIES.notes,
      `context window ${contextSize} tokens (trained on ${trainContextSize})`,
      gpu ? `runs on ${gpu}` : 'runs on CPU',
    ],
  };
}

/** Streams text without the space the model writes after "Assistant:", matching the reply's trimmed text. */
function afterLeadingSpace(onText: ((delta: string) => void) | undefined): ((chunk: string) => void) | undefined {
  if (!onText) return undefined;
  let started = false;
  return (chunk) => {
    const text = started ? chunk : chunk.trimStart();
    if (!text) return;
    started = true;
    onText(text);
  };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
