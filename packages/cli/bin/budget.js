#!/usr/bin/env node
// The `budget` command runs its compiled JavaScript bundle (`npm run build` in the repository
// writes dist/bundle/ from dist/; see scripts/cli-bundle.mjs).
import { setFlagsFromString } from "node:v8";

// Start-up allocates ~13 MB that mostly lives to the end (code, schemas): a young generation that
// grows 8× at a time instead of 2× scavenges it three times instead of six (~7 % of a local
// `budget status`). A heap-sizing heuristic, read by V8 each time the young generation grows.
setFlagsFromString("--semi-space-growth-factor=8");
await import("../dist/bundle/budget.js");
