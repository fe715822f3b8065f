import { type CallHold, holdForCall, isBudgetExceededError } from "@budget/calls";
import { estimateChatRequest } from "@budget/calls/estimate";
import {
  type assistantAnswerSchema,
  type BudgetEngine,
  normalizeOpenAiUsage,
  providerOfBaseUrl,
  reserveResultToWire,
} from "@budget/core";
import type { z } from "zod";
import { ASSISTANT_COMPONENT, type AssistantConfig } from "../config/assistant-config.js";
import { ASSISTANT_TOOLS, openAiToolDefinitions } from "./assistant-tools.js";

/** The assistant's answer, or why there is none (its schema is core's wire module's). */
export type AssistantAnswer = z.infer<typeof assistantAnswerSchema>;
/** A tool call the model made and the figures it was given: what the answer rests on. */
export type Citation = AssistantAnswer["citations"][number];

/** Answers questions about spend. */
export interface Assistant {
  ask(question: string): Promise<AssistantAnswer>;
}

/** What {@link createAssistant} needs. */
export interface AssistantOptions {
  engine: BudgetEngine;
  config: AssistantConfig & { url: string; model: string };
  /** The model API's key: sent to the model's URL only, never in a message. */
  apiKey: string;
  fetch?: typeof fetch;
}

const SYSTEM = [
  "You answer questions about LLM spend tracked by Budget. Use the tools to read reports, status,",
  "advice and prices; never guess a figure. Quote every figure exactly as a tool gave it (money is",
  "USD text with nine decimals) and name the tool it came from.",
].join(" ");

type Message = Record<string, unknown>;
type ToolCall = { id: string; function: { name: string; arguments: string } };

const json = (value: unknown) => JSON.stringify(value, (_, v) => (typeof v === "bigint" ? v.toString() : v));

async function runTool(engine: BudgetEngine, call: ToolCall): Promise<Citation> {
  let args: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(call.function.arguments || "{}");
    if (parsed && typeof parsed === "object") args = parsed as Record<string, unknown>;
  } catch {
    return { tool: call.function.name, arguments: {}, result: { error: "arguments are not JSON" } };
  }
  const tool = ASSISTANT_TOOLS[call.function.name];
  if (!tool) return { tool: call.function.name, arguments: args, result: { error: "no such tool" } };
  try {
    return {
      tool: call.function.name,
      arguments: args,
      result: JSON.parse(json(await tool.run(engine, args))),
    };
  } catch (err) {
    return { tool: call.function.name, arguments: args, result: { error: (err as Error).message } };
  }
}

/**
 * The optional assistant: an OpenAI-compatible chat model that calls Budget's read API as tools
 * until it answers. Each model call is reserved from its estimate and committed from the reported
 * usage on Budget's own engine (`component: budget-assistant`), so its spend is budgeted like any other.
 */
export function createAssistant(options: AssistantOptions): Assistant {
  const { engine, config, apiKey } = options;
  const doFetch = options.fetch ?? fetch;
  const provider = config.provider ?? providerOfBaseUrl(config.url) ?? "openai";
  const guard = { client: engine, provider, dimensions: { component: ASSISTANT_COMPONENT, provider } };
  const call = { provider, model: config.model, operation: "chat.completions" };
  const tools = openAiToolDefinitions();

  async function step(
    messages: Message[],
  ): Promise<{ ok: true; message: Message } | { ok: false; out: Partial<AssistantAnswer> }> {
    const body = { model: config.model, messages, tools, max_tokens: config.maxOutputTokens };
    const estimate = await estimateChatRequest(body);
    let hold: CallHold;
    try {
      hold = await holdForCall(guard, call, estimate.usage);
    } catch (err) {
      if (!isBudgetExceededError(err)) throw err;
      const wire = reserveResultToWire({ status: "denied", denial: err.denial });
      return {
        ok: false,
        out: { status: "denied", ...(wire.status === "denied" ? { denial: wire.denial } : {}) },
      };
    }
    let res: Response;
    try {
      res = await doFetch(`${config.url.replace(/\/$/, "")}/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    } catch (err) {
      await hold.release();
      return {
        ok: false,
        out: { status: "failed", message: `model unreachable: ${(err as Error).message}` },
      };
    }
    if (!res.ok) {
      await hold.release();
      return { ok: false, out: { status: "failed", message: `model answered HTTP ${res.status}` } };
    }
    const reply = (await res.json()) as { usage?: unknown; choices?: { message?: Message }[] };
    await hold.commit(reply.usage ? normalizeOpenAiUsage(reply, { provider }) : null, () => estimate.usage);
    const message = reply.choices?.[0]?.message;
    if (!message)
      return { ok: false, out: { status: "failed", message: "the model's reply has no message" } };
    return { ok: true, message };
  }

  return {
    async ask(question) {
      const messages: Message[] = [
        { role: "system", content: SYSTEM },
        { role: "user", content: question },
      ];
      const citations: Citation[] = [];
      for (let steps = 1; steps <= config.maxSteps; steps++) {
        const r = await step(messages);
        if (!r.ok) return { answer: null, citations, steps, status: "failed", ...r.out };
        const calls = (r.message.tool_calls as ToolCall[] | undefined) ?? [];
        if (calls.length === 0) {
          const content = r.message.content;
          return { status: "answered", answer: typeof content === "string" ? content : "", citations, steps };
        }
        messages.push({ role: "assistant", content: r.message.content ?? null, tool_calls: calls });
        for (const c of calls) {
          const cited = await runTool(engine, c);
          citations.push(cited);
          messages.push({ role: "tool", tool_call_id: c.id, content: json(cited.result) });
        }
      }
      return {
        status: "failed",
        answer: null,
        citations,
        steps: config.maxSteps,
        message: `no answer within ${config.maxSteps} model calls`,
      };
    },
  };
}
