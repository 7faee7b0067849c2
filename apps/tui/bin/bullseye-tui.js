#!/usr/bin/env node
// Runs the TypeScript entry point through tsx in this process, so no build step is needed. The
// package's tsconfig is named explicitly: tsx would otherwise look it up from the caller's directory
// and miss the JSX settings.
import { fileURLToPath, URL } from "node:url"
import { register } from "tsx/esm/api"

register({ tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)) })
await import("../src/main.tsx")
