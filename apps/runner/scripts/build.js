#!/usr/bin/env node
// Bundles src/main.ts into dist/main.js (an ES module and its chunks, no tsx at run time) with the manifest of
// the workspace files it was built from: the shared rule of scripts/bundle-freshness.js decides when dist/ must
// be built again.
import * as esbuild from "esbuild"
import { dirname, resolve } from "node:path"
import process from "node:process"
import { fileURLToPath } from "node:url"
import { buildBundle, workspaceInputs } from "../../../scripts/bundle-freshness.js"

const appDir = resolve(dirname(fileURLToPath(import.meta.url)), "..")

/** Builds dist/ from the current sources (into a fresh directory, swapped in when complete). */
export const build = () =>
  buildBundle(appDir, async (outdir) => {
    const result = await esbuild.build({
      absWorkingDir: appDir,
      entryPoints: ["src/main.ts"],
      outdir,
      bundle: true,
      // The embedded sandbox (imported dynamically) lands in its own chunk, loaded only when it starts.
      splitting: true,
      chunkNames: "chunks/[name]-[hash]",
      platform: "node",
      format: "esm",
      target: "node20",
      sourcemap: "linked",
      metafile: true,
      // Smaller source text to parse and keep in memory; the linked source map has the original names.
      minify: true,
      logLevel: "warning",
      // Native addons and their optional companions load from node_modules; esbuild compiles `exec` scripts.
      external: [
        "better-sqlite3",
        "pg-native",
        "msgpackr-extract",
        "bufferutil",
        "utf-8-validate",
        "cloudflare:sockets",
        "esbuild"
      ],
      // Bundled CommonJS dependencies call require(): give the ES module bundle one.
      banner: {
        js: 'import { createRequire as __bullseyeCreateRequire } from "node:module"; const require = __bullseyeCreateRequire(import.meta.url);'
      }
    })
    return workspaceInputs(result.metafile)
  })

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    await build()
    process.stdout.write("bullseye-run: bundled into dist/\n")
  } catch (error) {
    // esbuild has already printed the located errors.
    process.stderr.write(
      `bullseye-run: build failed: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}\n`
    )
    process.exit(1)
  }
}
