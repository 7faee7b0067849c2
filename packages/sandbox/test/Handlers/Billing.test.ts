import { describe, expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { SandboxTest } from "../../src/SandboxTest.js"
import { client } from "../support/Client.js"
import { field } from "../support/Http.js"

describe("billing and analytics", () => {
  layer(SandboxTest.layer({ settings: { rateLimit: 1_000_000 } }), {
    excludeTestServices: true,
    timeout: 30_000
  })((it) => {
    it.effect("billing info, current usage and graduated calculation", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const partner = yield* sandbox.createPartner()
        const api = client(sandbox, partner.apiKey)
        const org = String(
          field(
            (yield* api.post("/partner/organizations", { name: "Usage", tier: "paid", initialCredits: 20 }))
              .body,
            "organization",
            "id"
          )
        )
        yield* sandbox.control("POST", "/identifications", { partnerId: partner.partnerId, count: 3 })
        const info = yield* api.get("/partner/billing")
        expect(info.body).toMatchObject({
          partnerId: partner.partnerId,
          billingMode: "pooled",
          billingPeriod: "monthly",
          billingDayOfMonth: 1,
          creditPoolTotal: 100_000,
          creditPoolUsed: 20,
          creditPoolAvailable: 99_980
        })
        expect(String(field(info.body, "billingPeriodStart"))).toMatch(/^\d{4}-\d{2}-01T00:00:00Z$/)
        const usage = yield* api.get("/partner/billing/usage")
        expect(usage.body).toMatchObject({
          identifications: 3,
          creditsUsed: 3,
          estimatedCost: 0,
          currency: "USD",
          organizations: [{ organizationId: org, name: "Usage", identifications: 3 }]
        })
        const calc = yield* api.get("/partner/billing/calculate?usage=1500")
        expect(calc.body).toEqual({
          usage: 1500,
          totalCost: 25,
          currency: "USD",
          breakdown: [
            { tier: "trial", units: 1000, pricePerIdentification: 0, cost: 0 },
            { tier: "standard", units: 500, pricePerIdentification: 0.05, cost: 25 },
            { tier: "scale", units: 0, pricePerIdentification: 0.03, cost: 0 }
          ]
        })
        for (const query of ["", "?usage=-1", "?usage=abc", "?usage=1.5"]) {
          expect([query, (yield* api.get(`/partner/billing/calculate${query}`)).status]).toEqual([query, 400])
        }
      })
    )

    it.effect("analytics and usage over date ranges, with defaults and range checks", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const partner = yield* sandbox.createPartner()
        const api = client(sandbox, partner.apiKey)
        yield* api.post("/partner/organizations", { name: "One", tier: "paid", initialCredits: 10 })
        yield* api.post("/partner/organizations", { name: "Two" })
        yield* sandbox.control("POST", "/identifications", { partnerId: partner.partnerId, count: 4 })
        const now = new Date()
        const today = now.toISOString().slice(0, 10)
        const analytics = yield* api.get("/partner/analytics")
        expect(analytics.body).toMatchObject({
          partnerId: partner.partnerId,
          endDate: today,
          totalOrganizations: 2,
          activeOrganizations: 1,
          totalIdentifications: 4,
          creditsUsed: 4,
          creditsRemaining: 99_990
        })
        const start = new Date(Date.parse(`${today}T00:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10)
        expect(field(analytics.body, "startDate")).toBe(start)
        const usage = yield* api.get("/partner/usage")
        expect(field(usage.body, "startDate")).toBe(`${today.slice(0, 8)}01`)
        expect(field(usage.body, "totalQuantity")).toBe(4)
        expect(Number(field(usage.body, "totalEvents"))).toBeGreaterThan(4)
        const old = yield* api.get("/partner/analytics?startDate=2020-01-01&endDate=2020-01-31")
        expect([field(old.body, "totalIdentifications"), field(old.body, "startDate")]).toEqual([
          0,
          "2020-01-01"
        ])
        const iso = yield* api.get(`/partner/usage?startDate=${today}T00:00:00Z&endDate=${now.toISOString()}`)
        expect(field(iso.body, "totalQuantity")).toBe(4)
        for (const query of [
          "startDate=2025-02-10&endDate=2025-02-01",
          "startDate=2020-01-01&endDate=2021-06-01",
          "startDate=yesterday",
          "endDate=2025-02-30"
        ]) {
          const reply = yield* api.get(`/partner/analytics?${query}`)
          expect([query, reply.status]).toEqual([query, 400])
        }
      })
    )
  })
})
