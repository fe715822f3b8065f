export { ADVICE_PRICES, createAdviceCatalog } from "./advice-fixtures.js";
export { seedWorkerBudgets } from "./budget-seed.js";
export { OWASP_CSV_PAYLOADS, parseCsvLine } from "./csv-payloads.js";
export { createTestCatalog, TEST_PRICES } from "./fixtures.js";
export { describeStoreContract, type StoreContractOptions } from "./store-contract.js";
