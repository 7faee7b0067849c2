import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync
} from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterEach, describe, expect, it } from "vitest"
import { buildBundle, bundleStatus, extraInputs, manifestName } from "../../../scripts/bundle-freshness.js"

const appDir = join(dirname(fileURLToPath(import.meta.url)), "..")
const dirs: Array<string> = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

interface Manifest {
  readonly builtAt: number
  readonly inputs: Record<string, { size: number; mtimeMs: number; sha1: string | null }>
}

/** A repository with one app (`apps/app`) holding one source and every file a bundle always depends on. */
const repository = () => {
  const root = mkdtempSync(join(tmpdir(), "bullseye-bundle-"))
  dirs.push(root)
  const app = join(root, "apps", "app")
  for (const dir of ["src", "scripts", "../../scripts"]) mkdirSync(join(app, dir), { recursive: true })
  for (const file of extraInputs) writeFileSync(join(app, file), `${file}\n`)
  writeFileSync(join(app, "src", "main.ts"), "export const a = 1\n")
  // Every file was saved well before the build, as usual.
  const past = new Date(Date.now() - 60_000)
  for (const file of [...extraInputs, "src/main.ts"]) utimesSync(join(app, file), past, past)
  return app
}

/** A stand-in for esbuild: dist/main.js from src/main.ts, which it reports as its one input. */
const bundleMain = (app: string) => async (outdir: string) => {
  writeFileSync(join(outdir, "main.js"), readFileSync(join(app, "src", "main.ts")))
  return ["src/main.ts"]
}

const manifestOf = (app: string): Manifest =>
  JSON.parse(readFileSync(join(app, "dist", manifestName), "utf8")) as Manifest

const later = (path: string, seconds: number) => {
  const at = new Date(statSync(path).mtimeMs + seconds * 1000)
  utimesSync(path, at, at)
}

describe("bundleStatus", () => {
  it("is fresh after a build, and stays fresh when an input is touched without changing", async () => {
    const app = repository()
    await buildBundle(app, bundleMain(app))
    expect(bundleStatus(app)).toEqual({ fresh: true })
    const source = join(app, "src", "main.ts")
    later(source, 5)
    expect(bundleStatus(app)).toEqual({ fresh: true })
    // The new mtime is recorded, so the next start compares sizes and mtimes only.
    expect(manifestOf(app).inputs["src/main.ts"]?.mtimeMs).toBe(statSync(source).mtimeMs)
  })

  it("names the first input that changed (by content while its mtime is recent) or is gone", async () => {
    const app = repository()
    await buildBundle(app, bundleMain(app))
    const source = join(app, "src", "main.ts")
    const { mtime } = statSync(source)
    writeFileSync(source, "export const a = 2\n")
    expect(bundleStatus(app)).toEqual({ fresh: false, reason: "src/main.ts changed since the last build" })
    // An edit that keeps size and mtime is caught by content as long as the input counts as recent.
    const manifest = manifestOf(app)
    writeFileSync(
      join(app, "dist", manifestName),
      JSON.stringify({ ...manifest, builtAt: mtime.getTime() + 1000 } satisfies Manifest)
    )
    utimesSync(source, mtime, mtime)
    expect(bundleStatus(app)).toEqual({ fresh: false, reason: "src/main.ts changed since the last build" })
    rmSync(source)
    expect(bundleStatus(app)).toEqual({
      fresh: false,
      reason: "src/main.ts was removed since the last build"
    })
  })

  it("covers the files every bundle depends on besides its modules", async () => {
    const app = repository()
    await buildBundle(app, bundleMain(app))
    writeFileSync(join(app, "../../pnpm-lock.yaml"), "lockfileVersion: '9.0'\n")
    expect(bundleStatus(app)).toEqual({
      fresh: false,
      reason: "../../pnpm-lock.yaml changed since the last build"
    })
  })

  it("reports a missing or unreadable dist/", async () => {
    const app = repository()
    expect(bundleStatus(app)).toEqual({ fresh: false, reason: "dist/ is missing" })
    await buildBundle(app, bundleMain(app))
    writeFileSync(join(app, "dist", manifestName), "{")
    expect(bundleStatus(app)).toEqual({ fresh: false, reason: "dist/ is missing" })
    writeFileSync(join(app, "dist", manifestName), '{"inputs":null}')
    expect(bundleStatus(app)).toEqual({ fresh: false, reason: "dist/ is incomplete" })
  })
})

describe("buildBundle", () => {
  it("takes an input saved while the bundle was being built as changed", async () => {
    const app = repository()
    await buildBundle(app, async (outdir) => {
      const inputs = await bundleMain(app)(outdir)
      writeFileSync(join(app, "src", "main.ts"), "export const a = 3\n")
      return inputs
    })
    expect(bundleStatus(app)).toEqual({ fresh: false, reason: "src/main.ts changed since the last build" })
  })

  it("keeps the previous dist/ whole when a build fails, and leaves no scratch directory", async () => {
    const app = repository()
    await buildBundle(app, bundleMain(app))
    writeFileSync(join(app, "src", "main.ts"), "export const a = 2\n")
    later(join(app, "src", "main.ts"), -30)
    await expect(
      buildBundle(app, async (outdir) => {
        writeFileSync(join(outdir, "main.js"), "half")
        throw new Error("syntax error")
      })
    ).rejects.toThrow("syntax error")
    expect(readFileSync(join(app, "dist", "main.js"), "utf8")).toBe("export const a = 1\n")
    expect(bundleStatus(app)).toEqual({ fresh: false, reason: "src/main.ts changed since the last build" })
    await buildBundle(app, bundleMain(app))
    expect(readFileSync(join(app, "dist", "main.js"), "utf8")).toBe("export const a = 2\n")
    expect(bundleStatus(app)).toEqual({ fresh: true })
    expect(readdirSync(app).sort()).toEqual(["dist", "package.json", "scripts", "src", "tsconfig.json"])
  })

  it("two builds at once leave one complete dist/", async () => {
    const app = repository()
    await Promise.all([buildBundle(app, bundleMain(app)), buildBundle(app, bundleMain(app))])
    expect(bundleStatus(app)).toEqual({ fresh: true })
    expect(readFileSync(join(app, "dist", "main.js"), "utf8")).toBe("export const a = 1\n")
  })
})

describe("the TUI's bundle", () => {
  it("covers the sources of this package and of the workspace packages it bundles", () => {
    // The test setup has bundled the package, so its manifest is the real one.
    expect(bundleStatus(appDir)).toEqual({ fresh: true })
    const inputs = Object.keys(manifestOf(appDir).inputs)
    expect(inputs).toContain("src/main.tsx")
    expect(inputs).toContain("src/EmbeddedSandbox.ts")
    expect(inputs).toContain("../../packages/sandbox/src/Sandbox.ts")
    expect(inputs).toContain("../../packages/core/src/PartnerClient.ts")
    expect(inputs).toContain("../../pnpm-lock.yaml")
    expect(inputs).toContain("../../scripts/bundle-freshness.js")
    expect(inputs.some((path) => path.includes("node_modules"))).toBe(false)
  })
})
