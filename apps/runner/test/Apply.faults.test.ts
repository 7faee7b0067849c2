import { Organizations } from "@bullseye-partner/core/Organizations"
import { Webhooks } from "@bullseye-partner/core/Webhooks"
import { SandboxTest } from "@bullseye-partner/sandbox/SandboxTest"
import { describe, expect, layer } from "@effect/vitest"
import { Chunk, Effect, Fiber, Stream } from "effect"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { runCli, sandboxEnv, sdkLayer, tempDir } from "./support/cli.js"

const existing = 250
const created = 250

const faults = (afterHandler: boolean) => ({
  seed: afterHandler ? 11 : 7,
  rate500: 0.05,
  rate503: 0.05,
  rateReset: 0.05,
  rate429: 0.05,
  afterHandler
})

describe("apply under faults", () => {
  // One-second windows keep the pauses after injected 429s short.
  layer(SandboxTest.layer({ settings: { rateLimit: 1_000_000, rateWindowSeconds: 1 } }), {
    excludeTestServices: true
  })((it) => {
    it.effect(
      "a 500-organization plan completes with every organization correct and a truthful report",
      () =>
        Effect.gen(function* () {
          const sandbox = yield* SandboxTest
          const dir = tempDir()
          const env = sandboxEnv(sandbox, dir)
          const sdk = sdkLayer(sandbox)
          yield* Effect.flatMap(Webhooks, (webhooks) =>
            webhooks.update("billing", { url: "http://127.0.0.1:9/hook", enabled: true })
          ).pipe(Effect.provide(sdk))
          yield* Effect.flatMap(Organizations, (orgs) =>
            Effect.forEach(
              Array.from({ length: existing }, (_, i) => i),
              (i) => orgs.create({ name: `Fault ${i}`, externalId: `fault-${i}`, tier: "paid" }),
              { concurrency: 16 }
            )
          ).pipe(Effect.provide(sdk))
          writeFileSync(
            join(dir, "spec.yaml"),
            [
              "select: { externalIdPrefix: fault- }",
              "actions:",
              "  - allocateCredits: { credits: 120 }",
              "provision:",
              ...Array.from(
                { length: created },
                (_, i) => `  - { name: Born ${i}, externalId: born-${i}, initialCredits: 40 }`
              )
            ].join("\n")
          )
          expect(
            (yield* runCli(["plan", join(dir, "spec.yaml"), "--out", join(dir, "plan.json")], env)).code
          ).toBe(2)

          yield* sandbox.control("PUT", "/faults", faults(false))
          // Halfway through, resets start to happen after the handler ran: the write happened, the answer is lost.
          const switcher = yield* Effect.fork(
            Effect.sleep("4 seconds").pipe(Effect.zipRight(sandbox.control("PUT", "/faults", faults(true))))
          )
          const applied = yield* runCli(
            [
              "apply",
              join(dir, "plan.json"),
              "--yes",
              "--concurrency",
              "16",
              "--report",
              join(dir, "report.ndjson")
            ],
            env
          )
          yield* Fiber.interrupt(switcher)
          yield* sandbox.control("DELETE", "/faults")
          expect(applied.code, applied.err).toBe(0)

          const report = readFileSync(join(dir, "report.ndjson"), "utf8")
            .trim()
            .split("\n")
            .map(
              (l) =>
                JSON.parse(l) as {
                  externalId: string
                  action: string
                  outcome: string
                  organizationId: string
                }
            )
          expect(report).toHaveLength(existing + created)
          expect(report.filter((r) => r.outcome !== "applied")).toEqual([])

          const all = yield* Effect.flatMap(Organizations, (orgs) => Stream.runCollect(orgs.listAll())).pipe(
            Effect.map(Chunk.toReadonlyArray),
            Effect.provide(sdk)
          )
          const faulted = all.filter((o) => o.externalId?.startsWith("fault-"))
          expect(faulted).toHaveLength(existing)
          expect(faulted.filter((o) => o.credits !== 120)).toEqual([])
          const born = all.filter((o) => o.externalId?.startsWith("born-"))
          expect(born).toHaveLength(created)
          expect(new Set(born.map((o) => o.externalId)).size).toBe(created)
          expect(born.filter((o) => o.credits !== 40)).toEqual([])
          // No change was applied twice, although answers were lost after the write: one event per change.
          const allocated = yield* Effect.flatMap(Webhooks, (webhooks) =>
            Stream.runCollect(webhooks.logsAll({ type: "billing" }))
          ).pipe(
            Effect.map(
              (logs) => Chunk.toReadonlyArray(logs).filter((l) => l.event === "credits.allocated").length
            ),
            Effect.provide(sdk)
          )
          expect(allocated).toBe(existing + created)
          // The report names the organization each create produced.
          const byExternalId = new Map(born.map((o) => [o.externalId, o.id]))
          for (const row of report.filter((r) => r.action === "createOrganization")) {
            expect(row.organizationId).toBe(byExternalId.get(row.externalId))
          }
        }),
      150_000
    )
  })
})
