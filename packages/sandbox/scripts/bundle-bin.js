#!/usr/bin/env node
// Bundles the bin (src/main.ts) into dist/bin.js with core inlined, so `npm i -g ./sandbox.tgz` works on its
// own: core is not on the npm registry, and it is only an optional peer of the library. Effect and the
// database drivers stay external (peer dependencies, installed beside it).
import * as esbuild from "esbuild"
import { readFileSync } from "node:fs"
import { dirname, resolve } from "node:path"
import { fileURLToPath } from "node:url"

const dir = resolve(dirname(fileURLToPath(import.meta.url)), "..")
const manifest = JSON.parse(readFileSync(resolve(dir, "package.json"), "utf8"))
const external = Object.keys(manifest.peerDependencies ?? {})
  .filter((name) => name !== "@bullseye-partner/core")
  .flatMap((name) => [name, `${name}/*`])

await esbuild.build({
  absWorkingDir: dir,
  entryPoints: ["src/main.ts"],
  outfile: "dist/bin.js",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  logLevel: "warning",
  external: [...external, "better-sqlite3", "pg", "pg-native"],
  // Bundled CommonJS dependencies call require(): give the ES module bundle one.
  banner: {
    js: 'import { createRequire as __bullseyeCreateRequire } from "node:module"; const require = __bullseyeCreateRequire(import.meta.url);'
  }
})
