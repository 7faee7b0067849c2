#!/usr/bin/env node
// Runs the bundle (dist/main.js, `pnpm --filter @bullseye-partner/runner build`) when it is at least as new
// as every workspace source it was built from; otherwise the TypeScript sources through tsx, in this process.
// A stale bundle is never run: editing a source switches to tsx (with a note) until the next build.
/* global process, URL */
import { readFileSync, statSync } from "node:fs"
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

const root = new URL("../", import.meta.url)
const bundle = new URL("dist/main.js", root)

const mtime = (url) => {
  try {
    return statSync(url).mtimeMs
  } catch {
    return undefined
  }
}

/** Why the bundle cannot be used, or undefined when it is current. */
const staleness = () => {
  const built = mtime(bundle)
  if (built === undefined) return "missing"
  let sources
  try {
    sources = JSON.parse(readFileSync(new URL("dist/sources.json", root), "utf8"))
  } catch {
    return "stale"
  }
  for (const source of sources) {
    const changed = mtime(new URL(source, root))
    if (changed === undefined || changed > built) return "stale"
  }
  return undefined
}

const reason = process.env["BULLSEYE_RUN_FROM_SOURCE"] === "1" ? "asked" : staleness()
if (reason === undefined) {
  await import(bundle.href)
} else {
  if (reason === "stale")
    process.stderr.write(
      `bullseye-run: ${fileURLToPath(bundle)} is older than its sources; running them through tsx ` +
        "(`pnpm --filter @bullseye-partner/runner build` to use the bundle again).\n"
    )
  const { register } = await import("tsx/esm/api")
  register()
  await import(new URL("src/main.ts", root).href)
}
