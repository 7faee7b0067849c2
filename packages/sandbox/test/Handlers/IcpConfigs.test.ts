import { describe, expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { readFileSync } from "node:fs"
import { SandboxTest } from "../../src/SandboxTest.js"
import { client } from "../support/Client.js"
import { field } from "../support/Http.js"

const exampleRules: unknown = JSON.parse(
  readFileSync(
    new URL("../../../core/test/fixtures/partner-api/examples/icpConfig.rules.json", import.meta.url),
    "utf8"
  )
)

describe("ICP configs", () => {
  layer(SandboxTest.layer({ settings: { rateLimit: 1_000_000 } }), {
    excludeTestServices: true,
    timeout: 30_000
  })((it) => {
    it.effect(
      "create with defaults, order by priority, update, delete, and the vendor example is accepted",
      () =>
        Effect.gen(function* () {
          const api = client(yield* SandboxTest)
          const org = String(
            field((yield* api.post("/partner/organizations", { name: "ICP Org" })).body, "organization", "id")
          )
          const base = `/partner/organizations/${org}/icp-configs`
          const first = yield* api.post(base, { name: "Example", rules: exampleRules })
          expect(first.status).toBe(201)
          expect(field(first.body, "icpConfig")).toMatchObject({
            organizationId: org,
            name: "Example",
            active: true,
            priority: 1
          })
          expect(field(first.body, "icpConfig", "rules", "groups", 0, "conditions", 0, "optional")).toBe(
            false
          )
          const second = yield* api.post(base, { name: "Second", rules: exampleRules, active: false })
          expect(field(second.body, "icpConfig", "priority")).toBe(2)
          const top = yield* api.post(base, { name: "Top", rules: exampleRules, priority: 1 })
          const listed = (
            field((yield* api.get(base)).body, "icpConfigs") as ReadonlyArray<{ name: string }>
          ).map((c) => c.name)
          expect(listed).toEqual(["Example", "Top", "Second"])
          const id = String(field(top.body, "icpConfig", "id"))
          const updated = yield* api.put(`${base}/${id}`, { priority: 5, name: "Renamed" })
          expect(field(updated.body, "icpConfig")).toMatchObject({
            priority: 5,
            name: "Renamed",
            active: true
          })
          expect((yield* api.get(`${base}/${id}`)).status).toBe(200)
          expect((yield* api.del(`${base}/${id}`)).status).toBe(204)
          expect((yield* api.get(`${base}/${id}`)).status).toBe(404)
          expect((yield* api.del(`${base}/${id}`)).status).toBe(404)
          expect((yield* api.get(`/partner/organizations/unknown/icp-configs`)).status).toBe(404)
        })
    )

    it.effect("invalid rules are 400 with every problem; the 51st config is 422", () =>
      Effect.gen(function* () {
        const api = client(yield* SandboxTest)
        const org = String(
          field((yield* api.post("/partner/organizations", { name: "Rules Org" })).body, "organization", "id")
        )
        const base = `/partner/organizations/${org}/icp-configs`
        const invalid = [
          { groups: [] },
          { groups: [{ operator: "AND", conditions: [] }] },
          { groups: [{ operator: "XOR", conditions: [{ type: "industry", comparator: "eq", value: "x" }] }] },
          { groups: [{ operator: "AND", conditions: [{ type: "unknown", comparator: "eq", value: "x" }] }] },
          {
            groups: [{ operator: "AND", conditions: [{ type: "industry", comparator: "gte", value: "x" }] }]
          },
          {
            groups: [
              { operator: "AND", conditions: [{ type: "company_size", comparator: "gte", value: "50" }] }
            ]
          },
          { groups: [{ operator: "AND", conditions: [{ type: "industry", comparator: "in", value: [] }] }] },
          {
            groups: [
              {
                operator: "AND",
                conditions: [{ type: "page_contains", comparator: "contains", value: "/x" }]
              }
            ]
          }
        ]
        for (const rules of invalid) {
          const reply = yield* api.post(base, { name: "Bad", rules })
          expect([JSON.stringify(rules), reply.status]).toEqual([JSON.stringify(rules), 400])
          expect(field(reply.body, "details", "issues", 0, "path", 0)).toBe("body")
        }
        const rules = {
          groups: [{ operator: "OR", conditions: [{ type: "country", comparator: "eq", value: "US" }] }]
        }
        for (let i = 0; i < 50; i++)
          expect((yield* api.post(base, { name: `C${i}`, rules })).status).toBe(201)
        const over = yield* api.post(base, { name: "C50", rules })
        expect([over.status, field(over.body, "details", "reason")]).toEqual([422, "icp_config_limit"])
      })
    )

    it.effect("identifications are scored by the active configs in priority order", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const api = client(sandbox)
        const org = String(
          field(
            (yield* api.post("/partner/organizations", { name: "Scored", tier: "paid", initialCredits: 50 }))
              .body,
            "organization",
            "id"
          )
        )
        const base = `/partner/organizations/${org}/icp-configs`
        const everyone = {
          groups: [{ operator: "AND", conditions: [{ type: "session_count", comparator: "gte", value: 1 }] }]
        }
        const nobody = {
          groups: [
            { operator: "AND", conditions: [{ type: "session_count", comparator: "gt", value: 1000 }] }
          ]
        }
        yield* api.post(base, { name: "Nobody", rules: nobody, priority: 1 })
        const match = yield* api.post(base, { name: "Everyone", rules: everyone, priority: 2 })
        yield* sandbox.control("POST", "/identifications", { organizationId: org, count: 3 })
        const visitors = field(
          (yield* api.get(`/partner/organizations/${org}/visitors`)).body,
          "visitors"
        ) as ReadonlyArray<Record<string, unknown>>
        expect(visitors.length).toBe(3)
        for (const v of visitors) {
          expect(v).toMatchObject({
            icpMatch: true,
            icpScore: 100,
            matchedIcpConfigId: field(match.body, "icpConfig", "id")
          })
        }
      })
    )
  })
})
