import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, parse } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

/** The runner's package directory, found from this module wherever it runs (src/, dist/, dist/chunks/). */
const runnerDir = (): string => {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (dir !== parse(dir).root) {
    const manifest = join(dir, "package.json")
    if (
      existsSync(manifest) &&
      JSON.parse(readFileSync(manifest, "utf8")).name === "@bullseye-partner/runner"
    )
      return dir
    dir = dirname(dir)
  }
  throw new Error("cannot find the @bullseye-partner/runner package")
}

/**
 * Loads a user's TypeScript (or JavaScript) module from anywhere on disk and returns its namespace.
 *
 * esbuild compiles the script and whatever it imports by a relative path into one ES module. Bare
 * imports resolve from the script's own directory first and otherwise from the runner's package, so a
 * script in any folder can import `effect`, `@bullseye-partner/core/...` and
 * `@bullseye-partner/runner/...` without a package.json or an install of its own; installed packages
 * stay external (loaded from node_modules once), the workspace's TypeScript sources are compiled in.
 */
export const loadScript = async (scriptPath: string): Promise<unknown> => {
  const esbuild = await import("esbuild")
  const runner = runnerDir()
  const result = await compile(esbuild, scriptPath, runner)
  const [output] = result.outputFiles
  if (output === undefined) throw new Error("esbuild produced no output")
  const dir = mkdtempSync(join(tmpdir(), "bullseye-run-exec-"))
  const file = join(dir, `${parse(scriptPath).name}.mjs`)
  try {
    writeFileSync(file, output.text)
    return await import(pathToFileURL(file).href)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** esbuild's first error as one line with its location (`x.ts:3:20: Could not resolve "nope"`). */
const firstError = (error: unknown): Error => {
  const errors = typeof error === "object" && error !== null && "errors" in error ? error.errors : undefined
  const first = Array.isArray(errors) ? (errors[0] as import("esbuild").Message | undefined) : undefined
  if (first === undefined) return error instanceof Error ? error : new Error(String(error))
  const at =
    first.location === null ? "" : `${first.location.file}:${first.location.line}:${first.location.column}: `
  return new Error(`${at}${first.text}`)
}

const compile = (esbuild: typeof import("esbuild"), scriptPath: string, runner: string) =>
  esbuild
    .build({
      entryPoints: [scriptPath],
      bundle: true,
      write: false,
      format: "esm",
      platform: "node",
      target: "node20",
      sourcemap: "inline",
      logLevel: "silent",
      plugins: [
        {
          name: "bare-imports",
          setup: (build) => {
            build.onResolve({ filter: /^[^./]/ }, async (args) => {
              if (args.pluginData === "retry" || args.path.startsWith("node:")) return undefined
              const attempt = (path: string, resolveDir: string) =>
                build.resolve(path, { kind: args.kind, resolveDir, pluginData: "retry" })
              let found = await attempt(args.path, args.resolveDir)
              if (found.errors.length > 0) {
                const own = /^@bullseye-partner\/runner\/(.+)$/.exec(args.path)
                found =
                  own === null
                    ? await attempt(args.path, runner)
                    : await attempt(`./${own[1]}`, join(runner, "src"))
              }
              if (found.errors.length > 0) return { errors: found.errors }
              if (found.external) return { path: found.path, external: true }
              // Installed packages load from disk (one instance, shared with other scripts); workspace
              // sources (TypeScript) are compiled into the script.
              return /[\\/]node_modules[\\/]/.test(found.path)
                ? { path: pathToFileURL(found.path).href, external: true }
                : { path: found.path }
            })
          }
        }
      ]
    })
    .catch((error: unknown) => {
      throw firstError(error)
    })
