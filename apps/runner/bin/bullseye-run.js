#!/usr/bin/env node
// Runs the TypeScript entry point through tsx in this process, so no build step is needed (and exec can load .ts scripts).
import { register } from "tsx/esm/api"

register()
await import("../src/main.ts")
