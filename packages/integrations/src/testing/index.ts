export * from "./mock-completion.js";
export * from "./mock-openai-server.js";
