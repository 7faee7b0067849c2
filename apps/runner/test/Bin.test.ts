import { Organizations } from "@bullseye-partner/core/Organizations"
import { SandboxTest } from "@bullseye-partner/sandbox/SandboxTest"
import { describe, expect, it, layer } from "@effect/vitest"
import { Effect } from "effect"
import { execFile } from "node:child_process"
import { copyFileSync, mkdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs"
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

/**
 * A copy of the bin in a package of its own: a "bundle" and a "source" entry point that say which one ran,
 * and node_modules linked to the runner's (for tsx).
 */
const fixture = () => {
  const dir = tempDir()
  mkdirSync(join(dir, "bin"))
  mkdirSync(join(dir, "src"))
  mkdirSync(join(dir, "dist"))
  copyFileSync(join(runner, "bin/bullseye-run.js"), join(dir, "bin/bullseye-run.js"))
  symlinkSync(join(runner, "node_modules"), join(dir, "node_modules"))
  writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }))
  writeFileSync(join(dir, "src/main.ts"), 'const from: string = "source"\nconsole.log(from)\n')
  writeFileSync(join(dir, "src/other.ts"), "export {}\n")
  writeFileSync(join(dir, "dist/main.js"), 'console.log("bundle")\n')
  writeFileSync(join(dir, "dist/sources.json"), JSON.stringify(["src/main.ts", "src/other.ts"]))
  // The sources are older than the bundle, as after a build.
  const past = new Date(Date.now() - 60_000)
  utimesSync(join(dir, "src/main.ts"), past, past)
  utimesSync(join(dir, "src/other.ts"), past, past)
  return { dir, bin: join(dir, "bin/bullseye-run.js") }
}

describe("bin/bullseye-run.js", () => {
  it.effect("runs the bundle while it is newer than every source it was built from", () =>
    Effect.gen(function* () {
      const { bin } = fixture()
      const result = yield* run(bin, [])
      expect(result).toEqual({ code: 0, out: "bundle\n", err: "" })
    })
  )

  it.effect("runs the sources through tsx, with a note, once a source is newer than the bundle", () =>
    Effect.gen(function* () {
      const { dir, bin } = fixture()
      const future = new Date(Date.now() + 60_000)
      utimesSync(join(dir, "src/other.ts"), future, future)
      const result = yield* run(bin, [])
      expect(result.out).toBe("source\n")
      expect(result.err).toContain("is older than its sources; running them through tsx")
    })
  )

  it.effect("treats a source the bundle was built from and that is gone as a change", () =>
    Effect.gen(function* () {
      const { dir, bin } = fixture()
      rmSync(join(dir, "src/other.ts"))
      const result = yield* run(bin, [])
      expect(result.out).toBe("source\n")
      expect(result.err).toContain("older than its sources")
    })
  )

  it.effect("runs the sources quietly without a bundle, or when BULLSEYE_RUN_FROM_SOURCE=1", () =>
    Effect.gen(function* () {
      const { dir, bin } = fixture()
      expect(yield* run(bin, [], { BULLSEYE_RUN_FROM_SOURCE: "1" })).toEqual({
        code: 0,
        out: "source\n",
        err: ""
      })
      rmSync(join(dir, "dist"), { recursive: true })
      expect(yield* run(bin, [])).toEqual({ code: 0, out: "source\n", err: "" })
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
