import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { bundleStatus } from "../../../../scripts/bundle-freshness.js"
import { build } from "../../scripts/build.js"

const appDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..")

/** The end-to-end tests drive the bundled binary: bundle first when dist/ is missing or stale. */
export default async function setup() {
  const status = bundleStatus(appDir)
  if (status.fresh) return
  process.stdout.write(`bullseye-tui tests: ${status.reason}, bundling first\n`)
  await build()
}
