#!/usr/bin/env node
// `pnpm exec bullseye-run` at the repository root: the runner's own bin, which finds its bundle from its own URL.
import "../../apps/runner/bin/bullseye-run.js"
