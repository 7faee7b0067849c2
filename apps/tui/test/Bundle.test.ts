import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { afterEach, describe, expect, it } from "vitest"
import { bundleStatus, hashFile, manifestName } from "../bin/bundle.js"

const appDir = join(dirname(fileURLToPath(import.meta.url)), "..")
const dirs: Array<string> = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** A package directory with one source file and a dist/ built from it. */
const builtPackage = () => {
  const dir = mkdtempSync(join(tmpdir(), "bullseye-tui-bundle-"))
  dirs.push(dir)
  mkdirSync(join(dir, "src"))
  mkdirSync(join(dir, "dist"))
  writeFileSync(join(dir, "src", "main.tsx"), "export const a = 1\n")
  writeFileSync(
    join(dir, "dist", manifestName),
    JSON.stringify({ inputs: { "src/main.tsx": hashFile(join(dir, "src", "main.tsx")) } })
  )
  return dir
}

describe("bundleStatus", () => {
  it("is fresh while every input has the content it was built from, whatever its mtime", () => {
    const dir = builtPackage()
    expect(bundleStatus(dir)).toEqual({ fresh: true })
    writeFileSync(join(dir, "src", "main.tsx"), "export const a = 1\n")
    expect(bundleStatus(dir)).toEqual({ fresh: true })
  })

  it("names the first input that changed or disappeared", () => {
    const dir = builtPackage()
    writeFileSync(join(dir, "src", "main.tsx"), "export const a = 2\n")
    expect(bundleStatus(dir)).toEqual({ fresh: false, reason: "src/main.tsx changed since the last build" })
    rmSync(join(dir, "src", "main.tsx"))
    expect(bundleStatus(dir)).toEqual({
      fresh: false,
      reason: "src/main.tsx was removed since the last build"
    })
  })

  it("reports a missing or unreadable dist/", () => {
    const dir = builtPackage()
    writeFileSync(join(dir, "dist", manifestName), "{")
    expect(bundleStatus(dir)).toEqual({ fresh: false, reason: "dist/ is missing" })
    writeFileSync(join(dir, "dist", manifestName), '{"inputs":null}')
    expect(bundleStatus(dir)).toEqual({ fresh: false, reason: "dist/ is incomplete" })
    rmSync(join(dir, "dist"), { recursive: true })
    expect(bundleStatus(dir)).toEqual({ fresh: false, reason: "dist/ is missing" })
  })

  it("covers the sources of this package and of the workspace packages it bundles", () => {
    // The test setup has bundled the package, so its manifest is the real one.
    expect(bundleStatus(appDir)).toEqual({ fresh: true })
    const inputs = Object.keys(
      (JSON.parse(readFileSync(join(appDir, "dist", manifestName), "utf8")) as { inputs: object }).inputs
    )
    expect(inputs).toContain("src/main.tsx")
    expect(inputs).toContain("src/EmbeddedSandbox.ts")
    expect(inputs).toContain("../../packages/sandbox/src/Sandbox.ts")
    expect(inputs).toContain("../../packages/core/src/PartnerClient.ts")
    expect(inputs).toContain("../../pnpm-lock.yaml")
    expect(inputs.some((path) => path.includes("node_modules"))).toBe(false)
  })
})
