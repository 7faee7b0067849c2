#!/usr/bin/env node
// Bundles src/main.tsx into dist/ (ESM, one chunk per lazy import) and writes dist/manifest.json, the
// content hashes of every workspace file the bundle was built from; bin/bullseye-tui.js runs the bundle
// only while those hashes still match (see bin/bundle.js).
import * as esbuild from "esbuild"
import { mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs"
import { dirname, join, relative, resolve } from "node:path"
import { performance } from "node:perf_hooks"
import process from "node:process"
import { fileURLToPath } from "node:url"
import { extraInputs, hashFile, manifestName } from "../bin/bundle.js"

const appDir = resolve(dirname(fileURLToPath(import.meta.url)), "..")
const distDir = join(appDir, "dist")

/** Native addons and optional modules that cannot (or need not) be bundled; resolved from this package. */
const external = [
  // Native addon, loaded by @effect/sql-sqlite-node (a direct dependency here so it resolves from dist).
  "better-sqlite3",
  // Optional: pg uses it only when asked for the native driver.
  "pg-native",
  // Optional: Ink loads it only with DEV=true.
  "react-devtools-core"
]

/** Builds into a fresh directory and swaps it in, so a binary starting meanwhile never sees half a bundle. */
export const build = async () => {
  const started = performance.now()
  const outdir = mkdtempSync(join(appDir, ".dist-"))
  try {
    const result = await esbuild.build({
      absWorkingDir: appDir,
      entryPoints: { main: "src/main.tsx" },
      outdir,
      bundle: true,
      splitting: true,
      chunkNames: "chunks/[name]-[hash]",
      format: "esm",
      platform: "node",
      target: "node20",
      jsx: "automatic",
      // React and Ink drop their development-only checks; the source run (tsx) keeps them.
      define: { "process.env.NODE_ENV": '"production"' },
      // Identifiers stay readable; renaming them saved only ~10 ms of parsing.
      minifyWhitespace: true,
      minifySyntax: true,
      sourcemap: "linked",
      external,
      // CommonJS dependencies call require() for Node built-ins; ESM output has no require of its own.
      banner: {
        js: 'import { createRequire as __bundleRequire } from "node:module";const require=__bundleRequire(import.meta.url);'
      },
      metafile: true,
      logLevel: "warning"
    })
    const inputs = Object.keys(result.metafile.inputs)
      .filter((path) => !path.includes("node_modules/") && !path.startsWith("<"))
      .concat(extraInputs)
      .sort()
    const hashes = Object.fromEntries(inputs.map((path) => [path, hashFile(join(appDir, path))]))
    writeFileSync(join(outdir, manifestName), `${JSON.stringify({ inputs: hashes }, null, 2)}\n`)
    rmSync(distDir, { recursive: true, force: true })
    renameSync(outdir, distDir)
  } catch (error) {
    rmSync(outdir, { recursive: true, force: true })
    throw error
  }
  return { ms: performance.now() - started, distDir }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const { ms } = await build()
    process.stdout.write(
      `bullseye-tui: bundled into ${relative(process.cwd(), distDir) || "."} in ${ms.toFixed(0)} ms\n`
    )
  } catch (error) {
    // esbuild has already printed the located errors.
    process.stderr.write(
      `bullseye-tui: build failed: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}\n`
    )
    process.exit(1)
  }
}
