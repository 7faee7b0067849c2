#!/usr/bin/env node
// Starts the bundle in dist/. In a source checkout the shared rule of scripts/bundle-freshness.js runs it only
// while it was built from the current sources, bundling again (with a one-line note) after an edit;
// `BULLSEYE_RUN_FROM_SOURCE=1` runs the TypeScript sources through tsx instead. An installed package has no
// sources and runs its dist/ as it is (see docs/decisions.md, "Bundles").
/* global process, URL */
import { existsSync } from "node:fs"
import module from "node:module"
import { fileURLToPath } from "node:url"
import { setFlagsFromString } from "node:v8"

// Favour memory over speed, before anything is loaded: heap growth capped as for small devices, and the
// young generation kept at its initial size (startup fills it with long-lived objects, which otherwise
// makes it double twice and stay large). Measured on the bundle: `me` peaks at 137 MB instead of 155 MB,
// the export of 200,000 visitors at 134-141 MB instead of 238 MB. V8 reads these two at each decision, so
// setting them now is sound; flags that configure threads or the heap's layout cannot change after start
// (`--single-threaded-gc` set here aborts V8), and flags on a command line would not reach `node bin/...`.
setFlagsFromString("--optimize-for-size")
setFlagsFromString("--semi-space-growth-factor=1")

// Node 22 and later keep V8's compiled code between starts; Node 20 has no such cache.
const { enableCompileCache } = /** @type {{ enableCompileCache?: () => unknown }} */ (module)
enableCompileCache?.()

const appDir = new URL("../", import.meta.url)
const freshness = new URL("../../scripts/bundle-freshness.js", appDir)
if (existsSync(new URL("src/main.ts", appDir)) && existsSync(freshness)) {
  const { runApp } = await import(freshness.href)
  await runApp({
    appDir: fileURLToPath(appDir),
    name: "bullseye-run",
    source: "src/main.ts",
    tsx: () => import("tsx/esm/api"),
    fromSource: process.env["BULLSEYE_RUN_FROM_SOURCE"] === "1"
  })
} else {
  await import(new URL("dist/main.js", appDir).href)
}
