#!/usr/bin/env node
// Starts the bundle in dist/. In a source checkout the shared rule of scripts/bundle-freshness.js runs it only
// while it was built from the current sources, bundling again (with a one-line note) after an edit; an
// installed package has no sources and runs its dist/ as it is (see docs/decisions.md, "Bundles").
/* global URL */
import { existsSync } from "node:fs"
import module from "node:module"
import { fileURLToPath } from "node:url"

// Node 22 and later keep V8's compiled code between starts; Node 20 has no such cache.
const { enableCompileCache } = /** @type {{ enableCompileCache?: () => unknown }} */ (module)
enableCompileCache?.()

const appDir = new URL("../", import.meta.url)
const freshness = new URL("../../scripts/bundle-freshness.js", appDir)
if (existsSync(new URL("src/main.tsx", appDir)) && existsSync(freshness)) {
  const { runApp } = await import(freshness.href)
  await runApp({
    appDir: fileURLToPath(appDir),
    name: "bullseye-tui",
    source: "src/main.tsx",
    tsx: () => import("tsx/esm/api")
  })
} else {
  await import(new URL("dist/main.js", appDir).href)
}
