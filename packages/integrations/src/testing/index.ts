export {
  countPromptTokens,
  type MockCompletionPlan,
  type MockMessage,
  planCompletion,
} from "./mock-completion.js";
export { type MockChatRequest, type MockOpenAI, startMockOpenAI } from "./mock-openai-server.js";
