/**
 * Tool results. Entities travel in core's wire form (`@budget/core`: money as USD decimal strings,
 * instants as epoch milliseconds), the same JSON the HTTP API answers.
 */

/** A tool result carrying `value` both as JSON text (for any client) and as structured content. */
export function toolResult(value: Record<string, unknown>) {
  return {
    content: [{ type: "text" as const, text: JSON.stringify(value, null, 2) }],
    structuredContent: value,
  };
}
