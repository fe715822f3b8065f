#!/usr/bin/env node
// The `budget` command runs its compiled JavaScript bundle (`npm run build` in the repository
// writes dist/bundle/ from dist/; see scripts/cli-bundle.mjs).
import "../dist/bundle/budget.js";
