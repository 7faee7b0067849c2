// Whether dist/ (written by scripts/build.js) still matches the sources it was built from. Plain
// JavaScript with Node built-ins only: the binary asks before it loads anything else.
import { createHash } from "node:crypto"
import { readFileSync } from "node:fs"
import { join } from "node:path"

/** The list of inputs and their hashes, inside dist/. */
export const manifestName = "manifest.json"

/** Files that shape the bundle without being part of it (relative to the package). */
export const extraInputs = ["package.json", "tsconfig.json", "scripts/build.js", "../../pnpm-lock.yaml"]

/**
 * The SHA-1 of a file's content (identity, not security: it detects edits, whatever the mtimes).
 *
 * @param {string} path
 */
export const hashFile = (path) => createHash("sha1").update(readFileSync(path)).digest("hex")

/**
 * `{ fresh: true }` when dist/ holds a bundle of exactly the current sources, else `{ fresh: false,
 * reason }` with a short reason ("dist/ is missing", "src/App.tsx changed since the last build").
 *
 * @param {string} appDir the package directory
 * @returns {{ fresh: true } | { fresh: false, reason: string }}
 */
export const bundleStatus = (appDir) => {
  let inputs
  try {
    inputs = JSON.parse(readFileSync(join(appDir, "dist", manifestName), "utf8")).inputs
  } catch {
    return { fresh: false, reason: "dist/ is missing" }
  }
  if (inputs === null || typeof inputs !== "object") return { fresh: false, reason: "dist/ is incomplete" }
  for (const [path, hash] of Object.entries(inputs)) {
    let current
    try {
      current = hashFile(join(appDir, path))
    } catch {
      return { fresh: false, reason: `${path} was removed since the last build` }
    }
    if (current !== hash) return { fresh: false, reason: `${path} changed since the last build` }
  }
  return { fresh: true }
}
