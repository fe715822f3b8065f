import {
  type BudgetGuardOptions,
  type GuardedCall,
  guardedPromise,
  overrideClient,
  overrideResource,
  runGuarded,
  type WithResponse,
  withClientProvider,
} from "../call-guard/index.js";
import { chatCompletionCall } from "./chat-completions.js";
import { responsesCall } from "./responses.js";

/** Options of {@link withBudget}. */
export type OpenAIBudgetOptions = BudgetGuardOptions;

type Params = Record<string, unknown> & { model: string; stream?: boolean | null };
type Create = (params: Params, options?: unknown) => { withResponse(): Promise<WithResponse<unknown>> };
type Describe = (
  options: BudgetGuardOptions,
  create: Create,
  params: Params,
  requestOptions: unknown,
) => Promise<GuardedCall<Params, unknown>>;

interface OpenAILike {
  chat: { completions: { create: Create } };
  responses: { create: Create };
}

/** A `create` that reserves, calls the original, and commits or releases. */
function guardedCreate(options: BudgetGuardOptions, original: Create, describe: Describe) {
  return (params: Params, requestOptions?: unknown) =>
    guardedPromise(
      describe(options, original, params, requestOptions).then((spec) =>
        runGuarded(options, spec).withResponse(),
      ),
    );
}

/**
 * Wraps an `openai` client (v6) so `chat.completions.create` and `responses.create` — and the
 * SDK helpers built on them (`stream()`, `parse()`, `runTools()`) — reserve an estimate before
 * each call, commit the reported usage after (streams: from the final usage, with
 * `stream_options.include_usage` forced on and its extra chunk hidden unless asked for), and
 * release when the request fails. A stream aborted, abandoned or failed before its usage commits
 * an estimate: the prompt plus the output seen. A denial throws `BudgetExceededError` without
 * calling the API; a soft limit's fallback model is called instead of the requested one. The
 * returned client has the original's type; everything else passes through. `asResponse()` on a
 * guarded call is refused.
 *
 * @example
 * const openai = withBudget(new OpenAI(), { client: engine, dimensions: { component: "planner" } });
 * const reply = await openai.chat.completions.create({ model: "gpt-4o", messages, max_tokens: 500 });
 */
export function withBudget<C extends object>(openai: C, given: OpenAIBudgetOptions): C {
  // The label of every call: DeepSeek, xAI or OpenRouter behind this SDK answer in its shape.
  const options = withClientProvider(given, openai);
  const raw = openai as unknown as OpenAILike;
  const chatCreate = raw.chat.completions.create.bind(raw.chat.completions);
  const responsesCreate = raw.responses.create.bind(raw.responses);
  const root: C = overrideClient(openai, {
    chat: () =>
      overrideResource(
        raw.chat,
        {
          completions: overrideResource(
            raw.chat.completions,
            { create: guardedCreate(options, chatCreate, chatCompletionCall) },
            () => root,
          ),
        },
        () => root,
      ),
    responses: () =>
      overrideResource(
        raw.responses,
        { create: guardedCreate(options, responsesCreate, responsesCall) },
        () => root,
      ),
  });
  return root;
}
