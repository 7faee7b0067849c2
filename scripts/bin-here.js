#!/usr/bin/env node
// Runs a workspace bin (`node scripts/bin-here.js apps/runner/bin/bullseye-run.js ARGS`) as if the user had started
// it where they typed `pnpm ...`: pnpm runs root scripts in the repository root and records the user's directory
// in INIT_CWD, so without this a relative path (a spec, a plan, a report, --db, --key-file) would resolve in the
// wrong place. A `--` pnpm forwards from `pnpm x -- ARGS` is passed on: the bins ignore a leading `--` themselves.
/* global process, URL */
import { resolve } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

const [bin, ...args] = process.argv.slice(2)
if (bin === undefined) {
  process.stderr.write("Usage: node scripts/bin-here.js BIN [ARGS...]\n")
  process.exit(2)
}
const target = resolve(fileURLToPath(new URL("../", import.meta.url)), bin)
const here = process.env["INIT_CWD"]
if (here !== undefined && here !== "") {
  try {
    process.chdir(here)
  } catch {
    // The directory pnpm was started in is gone: relative paths resolve in the repository root, as before.
  }
}
process.argv = [process.argv[0] ?? "node", target, ...args]
await import(pathToFileURL(target).href)
