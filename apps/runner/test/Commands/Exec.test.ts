import { Organizations } from "@bullseye-partner/core/Organizations"
import { SandboxTest } from "@bullseye-partner/sandbox/SandboxTest"
import { describe, expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { runCli, sandboxEnv, sdkLayer, tempDir } from "../support/cli.js"

const example = (name: string) => fileURLToPath(new URL(`../../examples/${name}`, import.meta.url))

describe("exec", () => {
  layer(SandboxTest.layer({ settings: { rateLimit: 1_000_000 } }), { excludeTestServices: true })((it) => {
    it.effect("runs a script's Effect with the services and a journaled forEachOrganization", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const dir = tempDir()
        const env = sandboxEnv(sandbox, dir)
        const ids = yield* Effect.flatMap(Organizations, (orgs) =>
          Effect.forEach([0, 1, 2], (i) =>
            Effect.map(orgs.create({ name: `Exec ${i}`, externalId: `exec-${i}`, tier: "paid" }), (o) => o.id)
          )
        ).pipe(Effect.provide(sdkLayer(sandbox)))
        const first = yield* runCli(["exec", example("top-up-paid.ts")], env)
        expect(first.code, first.err).toBe(0)
        const credits = yield* Effect.flatMap(Organizations, (orgs) =>
          Effect.forEach(ids, (id) => Effect.map(orgs.get(id), (o) => o.credits))
        ).pipe(Effect.provide(sdkLayer(sandbox)))
        expect(credits).toEqual([1000, 1000, 1000])
        // The run is journaled: organizations done under its name are not touched when it runs again.
        yield* Effect.flatMap(Organizations, (orgs) => orgs.allocateCredits(ids[0]!, { credits: 500 })).pipe(
          Effect.provide(sdkLayer(sandbox))
        )
        expect((yield* runCli(["exec", example("top-up-paid.ts")], env)).code).toBe(0)
        const after = yield* Effect.flatMap(Organizations, (orgs) => orgs.get(ids[0]!)).pipe(
          Effect.provide(sdkLayer(sandbox))
        )
        expect(after.credits).toBe(500)

        const low = yield* runCli(["exec", example("low-credits.ts")], env)
        expect(low.code, low.err).toBe(0)

        writeFileSync(join(dir, "bad.ts"), "export default 42\n")
        const bad = yield* runCli(["exec", join(dir, "bad.ts")], env)
        expect(bad.code).toBe(1)
        expect(bad.err).toContain("must export an Effect program as its default export")

        // A script that cannot compile: one line with the file, line and column, nothing run.
        writeFileSync(join(dir, "missing.ts"), 'import { nope } from "not-a-package"\nexport default nope\n')
        const missing = yield* runCli(["exec", join(dir, "missing.ts")], env)
        expect(missing.code).toBe(1)
        expect(missing.err.trim().split("\n").at(-1)).toMatch(
          /^Error: Cannot load .*missing\.ts: .*missing\.ts:1:\d+: Could not resolve "not-a-package"$/
        )
      })
    )
  })
})
