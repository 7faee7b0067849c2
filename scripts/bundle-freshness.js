// The one rule for the bundles of the TUI and the runner (apps/*/dist): dist/ is run only while every
// workspace file it was built from is unchanged, and a new bundle is built beside it and renamed into place.
// Plain Node, no dependencies: the bins load it before anything else. Installed packages have no sources
// and never load it (see the bins).
import { createHash } from "node:crypto"
import { mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import process from "node:process"
import { pathToFileURL } from "node:url"

/** The inputs of the bundle (size, mtime, SHA-1 of each), inside dist/. */
export const manifestName = "manifest.json"

/** Files that shape every bundle without esbuild reading them as modules (relative to the app). */
export const extraInputs = [
  "package.json",
  "tsconfig.json",
  "scripts/build.js",
  "../../tsconfig.base.json",
  "../../pnpm-lock.yaml",
  "../../scripts/bundle-freshness.js"
]

/**
 * Files written this close to the build (or after it started) are checked by content whatever their
 * mtime: a coarse file-system clock may give an edit made during the build the same mtime.
 */
const racyMs = 2000

/** File times come from a coarse kernel clock that can lag `Date.now()` by a tick (a few milliseconds). */
const clockLagMs = 100

/**
 * The SHA-1 of a file's content (identity, not security).
 *
 * @param {string} path
 */
const hashFile = (path) => createHash("sha1").update(readFileSync(path)).digest("hex")

/**
 * @typedef {{ size: number, mtimeMs: number, sha1: string | null }} InputRecord
 * @typedef {{ builtAt: number, inputs: Record<string, InputRecord> }} Manifest
 * @typedef {{ fresh: true } | { fresh: false, reason: string }} BundleStatus
 */

/**
 * @param {string} appDir
 * @returns {Manifest | undefined}
 */
const readManifest = (appDir) => {
  try {
    return JSON.parse(readFileSync(join(appDir, "dist", manifestName), "utf8"))
  } catch {
    return undefined
  }
}

/**
 * `{ fresh: true }` when dist/ holds a bundle of exactly the current inputs, else `{ fresh: false, reason }`
 * ("dist/ is missing", "src/App.tsx changed since the last build"). An input whose size and mtime are those
 * recorded is taken as unchanged; any other is hashed, and one with the same content as before (a checkout,
 * a `touch`) gets its new mtime recorded so the next start takes the fast path again.
 *
 * @param {string} appDir the app's package directory
 * @returns {BundleStatus}
 */
export const bundleStatus = (appDir) => {
  const manifest = readManifest(appDir)
  if (manifest === undefined) return { fresh: false, reason: "dist/ is missing" }
  const { inputs, builtAt } = manifest
  if (inputs === null || typeof inputs !== "object" || typeof builtAt !== "number") {
    return { fresh: false, reason: "dist/ is incomplete" }
  }
  let refreshed = false
  for (const [path, recorded] of Object.entries(inputs)) {
    let stat
    try {
      stat = statSync(join(appDir, path))
    } catch {
      return { fresh: false, reason: `${path} was removed since the last build` }
    }
    const racy = recorded.mtimeMs >= builtAt - racyMs
    if (!racy && stat.size === recorded.size && stat.mtimeMs === recorded.mtimeMs) continue
    if (
      stat.size !== recorded.size ||
      recorded.sha1 === null ||
      hashFile(join(appDir, path)) !== recorded.sha1
    ) {
      return { fresh: false, reason: `${path} changed since the last build` }
    }
    if (stat.mtimeMs !== recorded.mtimeMs) {
      inputs[path] = { ...recorded, mtimeMs: stat.mtimeMs }
      refreshed = true
    }
  }
  if (refreshed) writeManifestQuietly(appDir, manifest)
  return { fresh: true }
}

/**
 * Best effort: a read-only checkout keeps hashing the touched files at each start instead.
 *
 * @param {string} appDir
 * @param {Manifest} manifest
 */
const writeManifestQuietly = (appDir, manifest) => {
  const path = join(appDir, "dist", manifestName)
  const temporary = `${path}.${process.pid}`
  try {
    writeFileSync(temporary, `${JSON.stringify(manifest, null, 2)}\n`)
    renameSync(temporary, path)
  } catch {
    rmSync(temporary, { force: true })
  }
}

/**
 * The workspace files of an esbuild metafile (relative to the app), without dependencies from node_modules
 * (the lockfile stands for those) and without esbuild's virtual modules.
 *
 * @param {{ inputs: Record<string, unknown> }} metafile
 */
export const workspaceInputs = (metafile) =>
  Object.keys(metafile.inputs).filter((path) => !path.includes("node_modules/") && !path.includes(":"))

/**
 * Builds a bundle into a fresh directory beside dist/ and renames it into place, so a start never sees half a
 * bundle; `bundle(outdir)` writes the bundle and returns the workspace files it read (relative to the app).
 * An input changed while the bundle was being built is recorded without a hash, so the next start rebuilds.
 *
 * @param {string} appDir
 * @param {(outdir: string) => Promise<ReadonlyArray<string>>} bundle
 */
export const buildBundle = async (appDir, bundle) => {
  const builtAt = Date.now()
  const outdir = mkdtempSync(join(appDir, ".dist-"))
  try {
    const paths = [...new Set([...(await bundle(outdir)), ...extraInputs])].sort()
    const finishedAt = Date.now()
    /** @type {Manifest} */
    const manifest = { builtAt, inputs: {} }
    for (const path of paths) {
      const file = join(appDir, path)
      const sha1 = hashFile(file)
      const { size, mtimeMs } = statSync(file)
      const writtenDuringBuild = mtimeMs >= builtAt - clockLagMs && mtimeMs <= finishedAt + clockLagMs
      manifest.inputs[path] = { size, mtimeMs, sha1: writtenDuringBuild ? null : sha1 }
    }
    writeFileSync(join(outdir, manifestName), `${JSON.stringify(manifest, null, 2)}\n`)
    swapIn(appDir, outdir)
  } catch (error) {
    rmSync(outdir, { recursive: true, force: true })
    throw error
  }
}

/**
 * @param {string} appDir
 * @param {string} outdir
 */
const swapIn = (appDir, outdir) => {
  const dist = join(appDir, "dist")
  const previous = `${outdir}-previous`
  try {
    renameSync(dist, previous)
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code !== "ENOENT") throw error
  }
  try {
    renameSync(outdir, dist)
  } catch (error) {
    // Another start built the same sources and swapped its bundle in first: that one stays.
    const code = /** @type {NodeJS.ErrnoException} */ (error).code
    if (code !== "ENOTEMPTY" && code !== "EEXIST") throw error
    rmSync(outdir, { recursive: true, force: true })
  }
  rmSync(previous, { recursive: true, force: true })
}

/**
 * Runs an app from a source checkout: its bundle when it is fresh, else a new bundle built first (one line
 * on stderr says why), else, when no bundle can be built here (no esbuild, a read-only checkout), its
 * sources through tsx (one line says so). A bundle that fails to build ends the process: esbuild has
 * printed where.
 *
 * @param {{
 *   appDir: string,
 *   name: string,
 *   source: string,
 *   tsx: () => Promise<{ register: (options: { tsconfig: string }) => unknown }>,
 *   fromSource?: boolean
 * }} app `source` is the entry point relative to `appDir`; `tsx` imports `tsx/esm/api` from the app (whose
 *   dependency it is); `fromSource` skips the bundle.
 */
export const runApp = async ({ appDir, name, source, tsx, fromSource = false }) => {
  if (!fromSource) {
    const status = bundleStatus(appDir)
    if (status.fresh) return import(pathToFileURL(join(appDir, "dist", "main.js")).href)
    const built = await rebuild(appDir, name, status.reason)
    if (built) return import(pathToFileURL(join(appDir, "dist", "main.js")).href)
  }
  const { register } = await tsx()
  // tsx would look the tsconfig up from the caller's directory and miss the app's settings (JSX).
  register({ tsconfig: join(appDir, "tsconfig.json") })
  return import(pathToFileURL(join(appDir, source)).href)
}

/**
 * @param {string} appDir
 * @param {string} name
 * @param {string} reason
 * @returns {Promise<boolean>} false when the sources must run instead
 */
const rebuild = async (appDir, name, reason) => {
  const hint = `build with: pnpm --filter ${packageName(appDir)} build`
  let build
  try {
    build = /** @type {{ build: () => Promise<unknown> }} */ (
      await import(pathToFileURL(join(appDir, "scripts", "build.js")).href)
    ).build
  } catch {
    process.stderr.write(`${name}: ${reason}, running the sources through tsx (slower start; ${hint})\n`)
    return false
  }
  process.stderr.write(`${name}: ${reason}, bundling before starting\n`)
  try {
    await build()
    return true
  } catch (error) {
    if (isBuildFailure(error)) {
      process.stderr.write(`${name}: the bundle did not build (the errors are above)\n`)
      process.exit(1)
    }
    process.stderr.write(
      `${name}: cannot write dist/ (${describe(error)}), running the sources through tsx (slower start)\n`
    )
    return false
  }
}

/**
 * esbuild's failure carries the located errors it has already printed.
 *
 * @param {unknown} error
 */
const isBuildFailure = (error) =>
  typeof error === "object" && error !== null && "errors" in error && Array.isArray(error.errors)

/** @param {unknown} error */
const describe = (error) =>
  error instanceof Error
    ? (/** @type {NodeJS.ErrnoException} */ (error).code ?? error.message)
    : String(error)

/** @param {string} appDir */
const packageName = (appDir) => {
  try {
    return JSON.parse(readFileSync(join(appDir, "package.json"), "utf8")).name
  } catch {
    return "."
  }
}
