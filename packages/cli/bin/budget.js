#!/usr/bin/env node
// The `budget` command runs the compiled JavaScript in dist/ (`npm run build` in the repository).
import "../dist/main.js";
