import { Organizations } from "@bullseye-partner/core/Organizations"
import { SandboxTest } from "@bullseye-partner/sandbox/SandboxTest"
import { describe, expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { runCli, sandboxEnv, sdkLayer, tempDir } from "../support/cli.js"

describe("export", () => {
  layer(SandboxTest.layer({ settings: { rateLimit: 1_000_000 } }), { excludeTestServices: true })((it) => {
    it.effect("streams organizations, visitors and webhook logs as NDJSON or formula-safe CSV", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const env = sandboxEnv(sandbox, tempDir())
        const org = yield* Effect.gen(function* () {
          const orgs = yield* Organizations
          for (let i = 0; i < 130; i++) yield* orgs.create({ name: `Export ${i}`, externalId: `export-${i}` })
          const org = yield* orgs.create({
            name: "=cmd()",
            externalId: "export-evil",
            tier: "paid",
            initialCredits: 100
          })
          yield* orgs.updatePixel(org.id, { allowedDomains: ["evil.example.com"], enabled: true })
          return org
        }).pipe(Effect.provide(sdkLayer(sandbox)))
        yield* sandbox.control("POST", "/identifications", { organizationId: org.id, count: 7 })

        const ndjson = yield* runCli(["export", "organizations"], env)
        expect(ndjson.code).toBe(0)
        const rows = ndjson.out
          .trim()
          .split("\n")
          .map((l) => JSON.parse(l) as { externalId: string })
        expect(rows).toHaveLength(131)
        expect(new Set(rows.map((r) => r.externalId)).size).toBe(131)

        const csv = yield* runCli(["export", "organizations", "--format", "csv"], env)
        const lines = csv.out.trim().split("\n")
        expect(lines[0]).toBe(
          "id,name,externalId,status,tier,credits,creditsUsed,creditsAvailable,productType,billingPeriod,billingDayOfMonth,ownerUserId,metadata,createdAt,updatedAt,canceledAt"
        )
        expect(lines).toHaveLength(132)
        expect(csv.out).toContain(`,'=cmd(),export-evil,`)

        const visitors = yield* runCli(["export", "visitors", "--org", org.id], env)
        const identified = visitors.out
          .trim()
          .split("\n")
          .map((l) => JSON.parse(l) as { organizationId: string })
        expect(identified.length).toBeGreaterThan(0)
        expect(identified.every((v) => v.organizationId === org.id)).toBe(true)
        const allVisitors = yield* runCli(["export", "visitors", "--all-orgs", "--format", "csv"], env)
        expect(allVisitors.out.trim().split("\n")).toHaveLength(identified.length + 1)

        const needsScope = yield* runCli(["export", "visitors"], env)
        expect(needsScope.code).toBe(1)
        expect(needsScope.err).toContain("give --org ID or --all-orgs")
        const logs = yield* runCli(["export", "webhook-logs", "--format", "csv"], env)
        expect(logs.code).toBe(0)
        expect(logs.out.split("\n")[0]).toContain("id,type,event,organizationId")
      })
    )
  })
})
