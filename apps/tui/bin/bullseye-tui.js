#!/usr/bin/env node
// Runs the bundle in dist/ (`pnpm build`; the root `pnpm start` builds first). When dist/ is missing or
// was built from other sources, runs the TypeScript sources through tsx instead and says so in one
// line, so an edit is never silently ignored (see docs/decisions.md, TUI).
import { dirname, join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import process from "node:process"
import { bundleStatus } from "./bundle.js"

const appDir = join(dirname(fileURLToPath(import.meta.url)), "..")
const status = bundleStatus(appDir)
if (status.fresh) {
  await import(pathToFileURL(join(appDir, "dist", "main.js")).href)
} else {
  process.stderr.write(
    `bullseye-tui: ${status.reason}, running the sources through tsx (slower start; build with: pnpm --filter @bullseye-partner/tui build)\n`
  )
  const { register } = await import("tsx/esm/api")
  // tsx would look the tsconfig up from the caller's directory and miss the JSX settings.
  register({ tsconfig: join(appDir, "tsconfig.json") })
  await import(pathToFileURL(join(appDir, "src", "main.tsx")).href)
}
