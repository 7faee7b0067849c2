import { Organizations } from "@bullseye-partner/core/Organizations"
import { SandboxTest } from "@bullseye-partner/sandbox/SandboxTest"
import { describe, expect, it, layer } from "@effect/vitest"
import { Effect } from "effect"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { runCli, sandboxEnv, sdkLayer, tempDir } from "../support/cli.js"

describe("plan", () => {
  it.effect("lists every problem of a bad spec or CSV and sends nothing", () =>
    Effect.gen(function* () {
      const dir = tempDir()
      // Nothing listens on port 9: a request would fail with a network error instead of the problems.
      const env = { BULLSEYE_API_KEY: "pk_test_x", BULLSEYE_BASE_URL: "http://127.0.0.1:9/api/v1", HOME: dir }
      writeFileSync(
        join(dir, "bad.yaml"),
        "actions:\n  - allocateCredits: { credits: -1 }\n  - setTier: gold\n"
      )
      const bad = yield* runCli(["plan", join(dir, "bad.yaml")], env)
      expect(bad.code).toBe(1)
      expect(bad.err).toContain("Invalid spec: 2 problems; nothing was sent.")
      expect(bad.err).toContain("actions[0].allocateCredits.credits: expected an integer >= 0")
      expect(bad.err).toContain("actions[1].setTier: expected one of trial, paid")
      writeFileSync(join(dir, "csv.yaml"), "provisionCsv: orgs.csv\n")
      writeFileSync(join(dir, "orgs.csv"), "name,externalId,initialCredits\nA,a-1,ten\nB,,5\n")
      const csv = yield* runCli(["plan", join(dir, "csv.yaml")], env)
      expect(csv.code).toBe(1)
      expect(csv.err).toContain("orgs.csv:2.initialCredits: expected an integer >= 0")
      expect(csv.err).toContain("orgs.csv:3.externalId: is required")
      expect(csv.err).not.toContain("NetworkError")
    })
  )

  layer(SandboxTest.layer({ settings: { rateLimit: 1_000_000 } }), { excludeTestServices: true })((it) => {
    it.effect("names a plan file it cannot write in one line", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const dir = tempDir()
        writeFileSync(
          join(dir, "spec.yaml"),
          "select: { externalIds: [nobody] }\nactions:\n  - setTier: paid\n"
        )
        const out = join(dir, "missing", "plan.json")
        const result = yield* runCli(["plan", join(dir, "spec.yaml"), "--out", out], sandboxEnv(sandbox, dir))
        expect(result.code).toBe(1)
        expect(result.err).toBe(`Error: cannot write ${out}: no such file or directory\n`)
      })
    )

    it.effect(
      "writes the exact steps, prints a diff and exits 2 when something would change, 0 when not",
      () =>
        Effect.gen(function* () {
          const sandbox = yield* SandboxTest
          const dir = tempDir()
          const env = sandboxEnv(sandbox, dir)
          yield* Effect.gen(function* () {
            const orgs = yield* Organizations
            yield* orgs.create({ name: "Plan One", externalId: "plan-1", tier: "paid" })
            yield* orgs.create({ name: "Plan Two", externalId: "plan-2", tier: "trial" })
          }).pipe(Effect.provide(sdkLayer(sandbox)))
          writeFileSync(
            join(dir, "spec.yaml"),
            "select: { externalIdPrefix: plan-, tier: [paid] }\nactions:\n  - allocateCredits: { credits: 300 }\n  - setTier: paid\n"
          )
          const planned = yield* runCli(
            ["plan", join(dir, "spec.yaml"), "--out", join(dir, "plan.json")],
            env
          )
          expect(planned.err).toContain("Plan written to")
          expect(planned.code).toBe(2)
          expect(planned.out).toContain("~ Plan One (plan-1,")
          expect(planned.out).toContain("credits 0 → 300")
          expect(planned.out).toContain("1 steps on 1 of 1 organizations; 2 requests")
          const plan = JSON.parse(readFileSync(join(dir, "plan.json"), "utf8"))
          expect(plan.steps).toHaveLength(1)
          expect(plan.steps[0].action).toEqual({ _tag: "allocateCredits", from: 0, to: 300 })

          writeFileSync(
            join(dir, "noop.yaml"),
            "select: { externalIds: [plan-2] }\nactions:\n  - setTier: trial\n"
          )
          const noop = yield* runCli(["plan", join(dir, "noop.yaml")], env)
          expect(noop.code).toBe(0)
          expect(noop.out).toContain("No changes (1 organizations checked).")
        })
    )
  })
})
