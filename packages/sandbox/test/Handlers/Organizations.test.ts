import { describe, expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { SandboxTest } from "../../src/SandboxTest.js"
import { client } from "../support/Client.js"
import { field } from "../support/Http.js"

const orgOf = (body: unknown) => field(body, "organization") as Record<string, unknown>

describe("organizations", () => {
  layer(SandboxTest.layer({ settings: { rateLimit: 1_000_000 } }), {
    excludeTestServices: true,
    timeout: 30_000
  })((it) => {
    it.effect("create, read, update, list and cancel as the endpoint table says", () =>
      Effect.gen(function* () {
        const api = client(yield* SandboxTest)
        const created = yield* api.post("/partner/organizations", {
          name: "  Acme Corp  ",
          externalId: "acme-123",
          ownerUserId: "user-uuid",
          initialCredits: 500,
          metadata: { source: "signup" },
          tier: "trial",
          billingPeriod: "annual",
          billingDayOfMonth: 15,
          productType: "B2B"
        })
        expect(created.status).toBe(201)
        const org = orgOf(created.body)
        expect(org).toMatchObject({
          name: "Acme Corp",
          externalId: "acme-123",
          status: "active",
          tier: "trial",
          credits: 500,
          creditsUsed: 0,
          creditsAvailable: 500,
          billingPeriod: "annually",
          billingDayOfMonth: 15,
          ownerUserId: "user-uuid",
          metadata: { source: "signup" },
          canceledAt: null
        })
        expect(org["id"]).toMatch(/^[0-9a-f-]{36}$/)
        const id = String(org["id"])
        expect((yield* api.get(`/partner/organizations/${id}`)).body).toEqual(created.body)

        const dup = yield* api.post("/partner/organizations", { name: "Other", externalId: "acme-123" })
        expect([dup.status, field(dup.body, "code"), field(dup.body, "details", "externalId")]).toEqual([
          409,
          "Conflict",
          "acme-123"
        ])

        const updated = yield* api.put(`/partner/organizations/${id}`, {
          metadata: { plan: "gold" },
          ownerUserId: null,
          externalId: null
        })
        expect(orgOf(updated.body)).toMatchObject({
          metadata: { plan: "gold" },
          ownerUserId: null,
          externalId: null,
          name: "Acme Corp"
        })

        const suspended = yield* api.put(`/partner/organizations/${id}/status`, { status: "suspended" })
        expect(orgOf(suspended.body)["status"]).toBe("suspended")
        const capped = yield* api.put(`/partner/organizations/${id}/credits`, { credits: 501 })
        expect([capped.status, field(capped.body, "details", "reason")]).toEqual([422, "trial_credit_cap"])
        const paid = yield* api.put(`/partner/organizations/${id}/tier`, { tier: "paid" })
        expect(orgOf(paid.body)["tier"]).toBe("paid")
        const allocation = yield* api.put(`/partner/organizations/${id}/credits`, {
          credits: 900,
          notes: "Monthly allocation"
        })
        expect(allocation.status).toBe(200)
        expect(field(allocation.body, "allocation")).toMatchObject({
          organizationId: id,
          creditsAllocated: 900,
          creditsUsed: 0,
          creditsAvailable: 900,
          notes: "Monthly allocation"
        })
        const toTrial = yield* api.put(`/partner/organizations/${id}/tier`, { tier: "trial" })
        expect([toTrial.status, field(toTrial.body, "details", "reason")]).toEqual([422, "trial_credit_cap"])

        const me = yield* api.get("/partner/me")
        expect(field(me.body, "partner", "creditPoolUsed")).toBe(900)
        expect((yield* api.del(`/partner/organizations/${id}`)).status).toBe(204)
        expect((yield* api.del(`/partner/organizations/${id}`)).status).toBe(204)
        const canceled = orgOf((yield* api.get(`/partner/organizations/${id}`)).body)
        expect(canceled).toMatchObject({ status: "canceled", credits: 0 })
        expect(canceled["canceledAt"]).toEqual(expect.any(String))
        expect(field((yield* api.get("/partner/me")).body, "partner", "creditPoolUsed")).toBe(0)
        for (const [path, body] of [
          [`/partner/organizations/${id}`, { name: "x" }],
          [`/partner/organizations/${id}/status`, { status: "active" }],
          [`/partner/organizations/${id}/tier`, { tier: "paid" }],
          [`/partner/organizations/${id}/credits`, { credits: 1 }]
        ] as const) {
          const refused = yield* api.put(path, body)
          expect([path, refused.status, field(refused.body, "details", "reason")]).toEqual([
            path,
            422,
            "organization_canceled"
          ])
        }
        const listed = yield* api.get("/partner/organizations?status=canceled")
        expect(field(listed.body, "organizations", 0, "id")).toBe(id)
        const reused = yield* api.post("/partner/organizations", { name: "New Acme", externalId: "acme-123" })
        expect(reused.status).toBe(201)
      })
    )

    it.effect("the pool refuses what it cannot cover with the numbers involved", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const partner = yield* sandbox.createPartner({ creditPoolTotal: 1000, maxOrganizations: 2 })
        const api = client(sandbox, partner.apiKey)
        const a = orgOf(
          (yield* api.post("/partner/organizations", { name: "A", tier: "paid", initialCredits: 600 })).body
        )
        const b = orgOf((yield* api.post("/partner/organizations", { name: "B", tier: "paid" })).body)
        const over = yield* api.put(`/partner/organizations/${String(b["id"])}/credits`, { credits: 900 })
        expect(over.body).toEqual({
          code: "UnprocessableEntity",
          message: expect.any(String),
          details: {
            reason: "insufficient_pool",
            requested: 900,
            available: 400,
            credits: 900,
            currentAllocation: 0
          }
        })
        const lowered = yield* api.put(`/partner/organizations/${String(a["id"])}/credits`, { credits: 100 })
        expect(lowered.status).toBe(200)
        expect(
          (yield* api.put(`/partner/organizations/${String(b["id"])}/credits`, { credits: 900 })).status
        ).toBe(200)
        const limit = yield* api.post("/partner/organizations", { name: "C" })
        expect([limit.status, field(limit.body, "details")]).toEqual([
          422,
          { reason: "organization_limit", limit: 2, current: 2 }
        ])
      })
    )

    it.effect("lists page newest first with filters; a page past the end is empty with the real total", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const partner = yield* sandbox.createPartner()
        const api = client(sandbox, partner.apiKey)
        for (const name of ["Alpha", "beta", "Gamma", "ALPHABET"])
          yield* api.post("/partner/organizations", { name, externalId: name })
        const first = yield* api.get("/partner/organizations?pageSize=3")
        expect(field(first.body, "total")).toBe(4)
        expect((field(first.body, "organizations") as ReadonlyArray<unknown>).length).toBe(3)
        const past = yield* api.get("/partner/organizations?page=5&pageSize=3")
        expect([
          field(past.body, "organizations"),
          field(past.body, "total"),
          field(past.body, "page")
        ]).toEqual([[], 4, 5])
        const search = yield* api.get("/partner/organizations?search=alpha")
        expect(field(search.body, "total")).toBe(2)
        const exact = yield* api.get("/partner/organizations?externalId=beta")
        expect(field(exact.body, "organizations", 0, "name")).toBe("beta")
        for (const query of ["pageSize=0", "pageSize=101", "page=0", "status=deleted", "page=abc"]) {
          const bad = yield* api.get(`/partner/organizations?${query}`)
          expect([query, bad.status, field(bad.body, "details", "issues", 0, "path", 0)]).toEqual([
            query,
            400,
            "query"
          ])
        }
      })
    )

    it.effect("pixel: snippet and script url, domain rules, enable switch", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const api = client(sandbox)
        const id = String(orgOf((yield* api.post("/partner/organizations", { name: "Pixel Co" })).body)["id"])
        const pixel = field((yield* api.get(`/partner/organizations/${id}/pixel`)).body, "pixel") as Record<
          string,
          unknown
        >
        expect(pixel).toMatchObject({
          organizationId: id,
          allowedDomains: [],
          enabled: true,
          lastEventAt: null
        })
        expect(pixel["scriptUrl"]).toBe(
          `${sandbox.baseUrl}/visitor-tracking/script/${String(pixel["pixelId"])}`
        )
        expect(pixel["snippet"]).toContain(`src="${String(pixel["scriptUrl"])}"`)
        expect(pixel["snippet"]).toContain("strict-origin-when-cross-origin")
        const updated = yield* api.put(`/partner/organizations/${id}/pixel`, {
          allowedDomains: ["client.com", "*.client.com"],
          enabled: false
        })
        expect(field(updated.body, "pixel")).toMatchObject({
          allowedDomains: ["client.com", "*.client.com"],
          enabled: false
        })
        for (const domains of [
          ["https://client.com"],
          ["Client.com"],
          ["client.com:443"],
          ["10.0.0.1"],
          Array.from({ length: 51 }, (_, i) => `d${i}.com`)
        ]) {
          expect(
            (yield* api.put(`/partner/organizations/${id}/pixel`, { allowedDomains: domains })).status
          ).toBe(400)
        }
      })
    )

    it.effect("visitors: newest first, filters, detail with sessions, 404s", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const api = client(sandbox)
        const id = String(
          orgOf(
            (yield* api.post("/partner/organizations", { name: "Visited", tier: "paid", initialCredits: 10 }))
              .body
          )["id"]
        )
        const simulated = yield* sandbox.control("POST", "/identifications", { organizationId: id, count: 4 })
        expect(field(simulated, "identified")).toBe(4)
        const listed = yield* api.get(`/partner/organizations/${id}/visitors?pageSize=2`)
        expect(field(listed.body, "total")).toBe(4)
        const visitors = field(listed.body, "visitors") as ReadonlyArray<{ id: string; identifiedAt: string }>
        expect(visitors.length).toBe(2)
        expect(visitors[0]!.identifiedAt >= visitors[1]!.identifiedAt).toBe(true)
        const today = new Date().toISOString().slice(0, 10)
        expect(
          field(
            (yield* api.get(`/partner/organizations/${id}/visitors?startDate=${today}&endDate=${today}`))
              .body,
            "total"
          )
        ).toBe(4)
        expect(
          field((yield* api.get(`/partner/organizations/${id}/visitors?endDate=2000-01-01`)).body, "total")
        ).toBe(0)
        const matched = field(
          (yield* api.get(`/partner/organizations/${id}/visitors?icpMatch=true`)).body,
          "total"
        )
        const unmatched = field(
          (yield* api.get(`/partner/organizations/${id}/visitors?icpMatch=false`)).body,
          "total"
        )
        expect(Number(matched) + Number(unmatched)).toBe(4)
        const detail = yield* api.get(`/partner/organizations/${id}/visitors/${visitors[0]!.id}`)
        expect(detail.status).toBe(200)
        const sessions = field(detail.body, "visitor", "sessions") as ReadonlyArray<{ startedAt: string }>
        expect(sessions.length).toBe(Number(field(detail.body, "visitor", "sessionCount")))
        expect([...sessions].sort((a, b) => b.startedAt.localeCompare(a.startedAt))).toEqual(sessions)
        expect((yield* api.get(`/partner/organizations/${id}/visitors/unknown`)).status).toBe(404)
        expect((yield* api.get(`/partner/organizations/unknown/visitors`)).status).toBe(404)
        const org = orgOf((yield* api.get(`/partner/organizations/${id}`)).body)
        expect([org["creditsUsed"], org["creditsAvailable"]]).toEqual([4, 6])
        expect(
          field((yield* api.get(`/partner/organizations/${id}/visitors?search=zzzz-no-match`)).body, "total")
        ).toBe(0)
      })
    )
  })
})
