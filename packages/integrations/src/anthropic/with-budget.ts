import {
  type BudgetGuardOptions,
  guardedPromise,
  overrideClient,
  overrideResource,
  runGuarded,
  withClientProvider,
} from "../call-guard/index.js";
import { type MessagesCreate, messagesCall } from "./messages.js";

/** Options of {@link withAnthropicBudget}. */
export type AnthropicBudgetOptions = BudgetGuardOptions;

type Params = Parameters<MessagesCreate>[0];

/**
 * Wraps an `@anthropic-ai/sdk` client so `messages.create` (plain and `stream: true`) and the
 * SDK's `messages.stream()` / `messages.parse()` helpers built on it reserve an estimate before
 * each call, commit the reported usage after (streams: the cumulative counts of the last
 * message_delta, cache reads and writes included), and release when the request fails. A stream
 * aborted, abandoned or failed before message_delta commits an estimate: message_start's input
 * side plus the output deltas seen. A denial throws `BudgetExceededError` without calling the
 * API; a soft limit's fallback model is called instead.
 * Prompts are estimated with the character heuristic (Claude's tokenizer is not public).
 *
 * @example
 * const anthropic = withAnthropicBudget(new Anthropic(), { client: engine, dimensions: { component: "writer" } });
 * const msg = await anthropic.messages.create({ model: "claude-sonnet-4-5", max_tokens: 1024, messages });
 */
export function withAnthropicBudget<C extends object>(anthropic: C, given: AnthropicBudgetOptions): C {
  // Bedrock and Vertex clients of this SDK bill under their own provider.
  const options = withClientProvider(given, anthropic);
  const raw = anthropic as unknown as { messages: { create: MessagesCreate } };
  const create = raw.messages.create.bind(raw.messages);
  const guarded = (params: Params, requestOptions?: unknown) =>
    guardedPromise(
      messagesCall(options, create, params, requestOptions).then((spec) =>
        runGuarded(options, spec).withResponse(),
      ),
    );
  const root: C = overrideClient(anthropic, {
    messages: () => overrideResource(raw.messages, { create: guarded }, () => root),
  });
  return root;
}
