#!/usr/bin/env node
// In the repository the TypeScript sources run through tsx (no build step, never stale); an installed
// package ships no sources and runs dist/bin.js, a bundle with core inlined, with plain Node.
/* global URL */
import { existsSync } from "node:fs"

const source = new URL("../src/main.ts", import.meta.url)
if (existsSync(source)) {
  const { register } = await import("tsx/esm/api")
  register()
  await import(source.href)
} else {
  await import(new URL("../dist/bin.js", import.meta.url).href)
}
