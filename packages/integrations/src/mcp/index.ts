/**
 * `@budget/integrations/mcp`: an MCP server exposing Budget's checks, estimates and status as tools.
 */
export { type CheckInput, checkBudget } from "./check-budget.js";
export { type BudgetMcpServerOptions, createBudgetMcpServer } from "./create-server.js";
export { type RecommendInput, type RecommendRule, recommendModel } from "./recommend-model.js";
