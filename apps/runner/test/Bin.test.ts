import { Organizations } from "@bullseye-partner/core/Organizations"
import { SandboxTest } from "@bullseye-partner/sandbox/SandboxTest"
import { describe, expect, it, layer } from "@effect/vitest"
import { Effect } from "effect"
import { execFile } from "node:child_process"
import {
  copyFileSync,
  cpSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync
} from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { sandboxEnv, sdkLayer, tempDir } from "./support/cli.js"

const runner = fileURLToPath(new URL("../", import.meta.url))

const run = (script: string, args: ReadonlyArray<string>, env: Record<string, string> = {}) =>
  Effect.async<{ code: number; out: string; err: string }>((resume) => {
    execFile(
      process.execPath,
      [script, ...args],
      { env: { PATH: process.env["PATH"] ?? "", ...env }, timeout: 50_000 },
      (error, out, err) =>
        resume(Effect.succeed({ code: error === null ? 0 : Number(error.code ?? 1), out, err }))
    )
  })

const repositoryRoot = join(runner, "../..")

/**
 * A repository of its own with a copy of the bin and of the shared bundle rule: a source entry point and a
 * stand-in for the build script (it writes a "bundle" that prints its source's text and counts its builds),
 * and node_modules linked to the runner's (for tsx).
 */
const fixture = Effect.gen(function* () {
  const root = tempDir()
  const dir = join(root, "apps", "runner")
  for (const sub of ["bin", "src", "scripts", "../../scripts"]) mkdirSync(join(dir, sub), { recursive: true })
  copyFileSync(join(runner, "bin/bullseye-run.js"), join(dir, "bin/bullseye-run.js"))
  copyFileSync(join(repositoryRoot, "scripts/bundle-freshness.js"), join(root, "scripts/bundle-freshness.js"))
  symlinkSync(join(runner, "node_modules"), join(dir, "node_modules"))
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "fixture", type: "module" }))
  writeFileSync(join(dir, "tsconfig.json"), "{}\n")
  writeFileSync(join(root, "tsconfig.base.json"), "{}\n")
  writeFileSync(join(root, "pnpm-lock.yaml"), "lockfileVersion: '9.0'\n")
  writeFileSync(join(dir, "src/main.ts"), 'const from: string = "source"\nconsole.log(from)\n')
  writeFileSync(
    join(dir, "scripts/build.js"),
    [
      'import { appendFileSync, readFileSync, writeFileSync } from "node:fs"',
      'import { join } from "node:path"',
      'import { buildBundle } from "../../../scripts/bundle-freshness.js"',
      'const app = new URL("../", import.meta.url).pathname',
      "export const build = () =>",
      "  buildBundle(app, async (outdir) => {",
      '    appendFileSync(join(app, "builds.log"), "build\\n")',
      '    const text = readFileSync(join(app, "src/main.ts"), "utf8")',
      '    if (text.includes("syntax error")) throw Object.assign(new Error("Build failed"), { errors: [{}] })',
      '    writeFileSync(join(outdir, "main.js"), `console.log(${JSON.stringify("bundle of " + text.length)})\\n`)',
      '    return ["src/main.ts"]',
      "  })"
    ].join("\n")
  )
  // Every file was saved well before the build, as usual.
  const past = new Date(Date.now() - 60_000)
  for (const file of ["src/main.ts", "scripts/build.js", "package.json", "tsconfig.json"]) {
    utimesSync(join(dir, file), past, past)
  }
  for (const file of ["tsconfig.base.json", "pnpm-lock.yaml", "scripts/bundle-freshness.js"]) {
    utimesSync(join(root, file), past, past)
  }
  const bin = join(dir, "bin/bullseye-run.js")
  expect(yield* run(bin, [])).toEqual({
    code: 0,
    out: "bundle of 48\n",
    err: "bullseye-run: dist/ is missing, bundling before starting\n"
  })
  return { dir, bin, builds: () => readFileSync(join(dir, "builds.log"), "utf8").split("\n").length - 1 }
})

describe("bin/bullseye-run.js", () => {
  it.effect("bundles first when dist/ is missing, then runs the bundle quietly while nothing changed", () =>
    Effect.gen(function* () {
      const { dir, bin, builds } = yield* fixture
      expect(builds()).toBe(1)
      expect(yield* run(bin, [])).toEqual({ code: 0, out: "bundle of 48\n", err: "" })
      // A touch without a change costs a hash, not a build.
      const now = new Date()
      utimesSync(join(dir, "src/main.ts"), now, now)
      expect(yield* run(bin, [])).toEqual({ code: 0, out: "bundle of 48\n", err: "" })
      expect(builds()).toBe(1)
    })
  )

  it.effect("bundles again, saying so in one line, once a source changed", () =>
    Effect.gen(function* () {
      const { dir, bin, builds } = yield* fixture
      writeFileSync(join(dir, "src/main.ts"), 'console.log("edited")\n')
      const result = yield* run(bin, [])
      expect(result.out).toBe("bundle of 22\n")
      expect(result.err.trim().split("\n")).toEqual([
        expect.stringMatching(
          /^bullseye-run: src\/main\.ts changed since the last build, bundling before starting$/
        )
      ])
      expect(builds()).toBe(2)
    })
  )

  it.effect("stops with one line when the bundle does not build, and keeps the last good one", () =>
    Effect.gen(function* () {
      const { dir, bin } = yield* fixture
      writeFileSync(join(dir, "src/main.ts"), "syntax error\n")
      const result = yield* run(bin, [])
      expect(result.code).toBe(1)
      expect(result.out).toBe("")
      expect(result.err).toContain("bullseye-run: the bundle did not build (the errors are above)")
      expect(readFileSync(join(dir, "dist/main.js"), "utf8")).toContain("bundle of 48")
    })
  )

  it.effect("runs the sources through tsx, with a note, where no bundle can be built", () =>
    Effect.gen(function* () {
      const { dir, bin } = yield* fixture
      rmSync(join(dir, "scripts/build.js"))
      writeFileSync(join(dir, "src/main.ts"), 'const from: string = "edited source"\nconsole.log(from)\n')
      const result = yield* run(bin, [])
      expect(result.out).toBe("edited source\n")
      expect(result.err.trim().split("\n")).toEqual([
        "bullseye-run: scripts/build.js was removed since the last build, running the sources through tsx (slower start; build with: pnpm --filter fixture build)"
      ])
    })
  )

  it.effect("runs the sources quietly when BULLSEYE_RUN_FROM_SOURCE=1", () =>
    Effect.gen(function* () {
      const { bin } = yield* fixture
      expect(yield* run(bin, [], { BULLSEYE_RUN_FROM_SOURCE: "1" })).toEqual({
        code: 0,
        out: "source\n",
        err: ""
      })
    })
  )

  it.effect("runs dist/ as it is where the package has no sources (installed from its tarball)", () =>
    Effect.gen(function* () {
      const { dir } = yield* fixture
      // What a packed package holds: the bin and dist/; no sources, no shared scripts, no tsx beside it.
      const installed = join(tempDir(), "node_modules", "@bullseye-partner", "runner")
      mkdirSync(join(installed, "bin"), { recursive: true })
      copyFileSync(join(dir, "bin/bullseye-run.js"), join(installed, "bin/bullseye-run.js"))
      cpSync(join(dir, "dist"), join(installed, "dist"), { recursive: true })
      writeFileSync(join(installed, "package.json"), JSON.stringify({ type: "module" }))
      expect(yield* run(join(installed, "bin/bullseye-run.js"), [])).toEqual({
        code: 0,
        out: "bundle of 48\n",
        err: ""
      })
    })
  )
})

describe("bullseye-run exec through the binary", () => {
  layer(SandboxTest.layer({ settings: { rateLimit: 1_000_000 } }), { excludeTestServices: true })((it) => {
    // Under `pnpm test` (turbo builds first) this is the bundle.
    it.effect("loads a TypeScript script from any folder, with its relative imports", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const dir = tempDir()
        const script = join(dir, "count.ts")
        // A folder of its own: no package.json, no node_modules; effect and the core resolve from the runner.
        writeFileSync(
          join(dir, "label.ts"),
          "export const label = (name: string): string => `partner: ${name}`\n"
        )
        writeFileSync(
          script,
          [
            'import { PartnerAccount } from "@bullseye-partner/core/PartnerAccount"',
            'import { forEachOrganization } from "@bullseye-partner/runner/ForEachOrganization"',
            'import { Console, Effect } from "effect"',
            'import { label } from "./label.js"',
            "export default Effect.gen(function* () {",
            "  const me = yield* (yield* PartnerAccount).me()",
            "  yield* Console.log(label(me.name))",
            '  yield* forEachOrganization({ run: "count" }, () => Effect.void)',
            "})"
          ].join("\n")
        )
        const result = yield* run(
          join(runner, "bin/bullseye-run.js"),
          ["exec", script],
          sandboxEnv(sandbox, dir)
        )
        expect(result.code, result.err).toBe(0)
        expect(result.out).toMatch(/^partner: \S/)
      })
    )

    it.effect("runs the journaled example, whose forEachOrganization is loaded from the sources", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const dir = tempDir()
        const env = sandboxEnv(sandbox, dir)
        const org = yield* Effect.flatMap(Organizations, (orgs) =>
          orgs.create({ name: "Bin top-up", externalId: "bin-top-up", tier: "paid" })
        ).pipe(Effect.provide(sdkLayer(sandbox)))
        const example = join(runner, "examples/top-up-paid.ts")
        const first = yield* run(join(runner, "bin/bullseye-run.js"), ["exec", example], env)
        expect(first.code, first.err).toBe(0)
        const credits = yield* Effect.flatMap(Organizations, (orgs) => orgs.get(org.id)).pipe(
          Effect.map((o) => o.credits),
          Effect.provide(sdkLayer(sandbox))
        )
        expect(credits).toBe(1000)
        // The journal the bundle opened recorded what the script's forEachOrganization did.
        const again = yield* run(join(runner, "bin/bullseye-run.js"), ["exec", example], env)
        expect(again.code, again.err).toBe(0)
        expect(again.err).toContain("1 done before")
      })
    )
  })
})
