#!/usr/bin/env node
// Bundles src/main.tsx into dist/ (ESM, one chunk per lazy import) with the manifest of the workspace files it
// was built from: the shared rule of scripts/bundle-freshness.js decides when dist/ must be built again.
import * as esbuild from "esbuild"
import { dirname, relative, resolve } from "node:path"
import { performance } from "node:perf_hooks"
import process from "node:process"
import { fileURLToPath } from "node:url"
import { buildBundle, workspaceInputs } from "../../../scripts/bundle-freshness.js"

const appDir = resolve(dirname(fileURLToPath(import.meta.url)), "..")

/** Native addons and optional modules that cannot (or need not) be bundled; resolved from this package. */
const external = [
  // Native addon, loaded by @effect/sql-sqlite-node (a direct dependency here so it resolves from dist).
  "better-sqlite3",
  // Optional: pg uses it only when asked for the native driver.
  "pg-native",
  // Optional: Ink loads it only with DEV=true.
  "react-devtools-core"
]

/** Builds dist/ from the current sources (into a fresh directory, swapped in when complete). */
export const build = async () => {
  const started = performance.now()
  await buildBundle(appDir, async (outdir) => {
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
    return workspaceInputs(result.metafile)
  })
  return { ms: performance.now() - started }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const { ms } = await build()
    process.stdout.write(
      `bullseye-tui: bundled into ${relative(process.cwd(), resolve(appDir, "dist")) || "."} in ${ms.toFixed(0)} ms\n`
    )
  } catch (error) {
    // esbuild has already printed the located errors.
    process.stderr.write(
      `bullseye-tui: build failed: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}\n`
    )
    process.exit(1)
  }
}
