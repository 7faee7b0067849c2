import { describe, expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { SandboxTest } from "../../src/SandboxTest.js"
import { fillPath, testEndpoints } from "../support/Endpoints.js"
import { field, request } from "../support/Http.js"

describe("cross-partner isolation", () => {
  layer(SandboxTest.layer({ settings: { rateLimit: 1_000_000 } }), {
    excludeTestServices: true,
    timeout: 30_000
  })((it) => {
    it.effect("partner B gets 404 for every resource of partner A, and A's data is untouched", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const a = { key: sandbox.apiKey }
        const org = yield* request(sandbox.baseUrl, "POST", "/partner/organizations", {
          ...a,
          body: { name: "A's org", externalId: "shared-ext", tier: "paid", initialCredits: 50 }
        })
        const orgId = String(field(org.body, "organization", "id"))
        const config = yield* request(
          sandbox.baseUrl,
          "POST",
          `/partner/organizations/${orgId}/icp-configs`,
          {
            ...a,
            body: {
              name: "A's ICP",
              rules: {
                groups: [{ operator: "OR", conditions: [{ type: "country", comparator: "eq", value: "US" }] }]
              }
            }
          }
        )
        const configId = String(field(config.body, "icpConfig", "id"))
        const simulated = yield* sandbox.control("POST", "/identifications", {
          organizationId: orgId,
          count: 1
        })
        const visitorId = String(field(simulated, "visitorIds", 0))
        const key = yield* request(sandbox.baseUrl, "POST", "/partner/api-keys", {
          ...a,
          body: { name: "A's key" }
        })
        const keyId = String(field(key.body, "apiKey", "id"))
        const ids = { org: orgId, config: configId, visitor: visitorId, key: keyId }

        const b = yield* sandbox.createPartner({ name: "Partner B" })
        const before = yield* request(sandbox.baseUrl, "GET", `/partner/organizations/${orgId}`, a)
        for (const endpoint of testEndpoints.filter((e) => /\{(org|key|visitor|config)\}/.test(e.path))) {
          const reply = yield* request(sandbox.baseUrl, endpoint.method, fillPath(endpoint.path, ids), {
            key: b.apiKey,
            ...(endpoint.body === undefined ? {} : { body: endpoint.body })
          })
          expect([endpoint.name, reply.status, field(reply.body, "code")]).toEqual([
            endpoint.name,
            404,
            "NotFound"
          ])
        }
        const listed = yield* request(
          sandbox.baseUrl,
          "GET",
          "/partner/organizations?externalId=shared-ext",
          { key: b.apiKey }
        )
        expect(field(listed.body, "total")).toBe(0)
        const bOrg = yield* request(sandbox.baseUrl, "POST", "/partner/organizations", {
          key: b.apiKey,
          body: { name: "B's org", externalId: "shared-ext" }
        })
        expect(bOrg.status).toBe(201)
        const after = yield* request(sandbox.baseUrl, "GET", `/partner/organizations/${orgId}`, a)
        expect(after.body).toEqual(before.body)
        const stillA = yield* request(
          sandbox.baseUrl,
          "GET",
          `/partner/organizations/${orgId}/visitors/${visitorId}`,
          a
        )
        expect(stillA.status).toBe(200)
        const bMe = yield* request(sandbox.baseUrl, "GET", "/partner/me", { key: b.apiKey })
        expect(field(bMe.body, "partner", "creditPoolUsed")).toBe(0)
      })
    )
  })
})
