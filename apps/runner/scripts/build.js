// Bundles src/main.ts into dist/main.js (an ES module and its chunks, no tsx at run time) and lists the
// workspace sources it was built from (relative to apps/runner) in dist/sources.json, so that
// bin/bullseye-run.js can tell when the bundle is stale.
/* global console */
import { build } from "esbuild"
import { mkdirSync, rmSync, writeFileSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..")
const dist = join(root, "dist")

// Chunk names carry content hashes: start empty so no chunk of an earlier build lingers.
rmSync(dist, { recursive: true, force: true })

const result = await build({
  absWorkingDir: root,
  entryPoints: ["src/main.ts"],
  outdir: "dist",
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

// The lockfile stands for the bundled dependencies: an install that changes them makes the bundle stale.
const sources = [
  ...Object.keys(result.metafile.inputs)
    .filter((input) => !input.includes("node_modules/"))
    .sort(),
  "../../pnpm-lock.yaml"
]
mkdirSync(dist, { recursive: true })
writeFileSync(join(dist, "sources.json"), `${JSON.stringify(sources, null, 2)}\n`)
console.log(`dist/main.js: bundled from ${sources.length - 1} workspace sources`)
