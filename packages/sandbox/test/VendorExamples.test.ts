// The vendor's documented examples, sent the way `curl` sends them (plain HTTP, JSON body, the key
// header): each request is answered with the documented status and a body with every field of the
// documented response, of the same JSON type.
import { describe, expect, it, layer } from "@effect/vitest"
import { readdirSync, readFileSync } from "node:fs"
import { Effect } from "effect"
import { SandboxTest } from "../src/SandboxTest.js"
import { client } from "./support/Client.js"
import { field, request } from "./support/Http.js"

const examplesDir = new URL("../../core/test/fixtures/partner-api/examples/", import.meta.url)
const used = new Set<string>()
const example = (file: string): Record<string, unknown> => {
  used.add(file)
  return JSON.parse(readFileSync(new URL(file, examplesDir), "utf8")) as Record<string, unknown>
}

const kind = (value: unknown): string =>
  value === null ? "null" : Array.isArray(value) ? "array" : typeof value

/**
 * Every path of `documented` that `actual` lacks or holds with another JSON type (null on either
 * side matches anything: the examples fill optional fields). Arrays compare their first elements.
 */
const shapeMismatches = (documented: unknown, actual: unknown, at = "$"): ReadonlyArray<string> => {
  if (documented === null || actual === null) return []
  if (kind(documented) !== kind(actual)) return [`${at}: documented ${kind(documented)}, got ${kind(actual)}`]
  if (Array.isArray(documented) && Array.isArray(actual)) {
    if (documented.length === 0) return []
    if (actual.length === 0) return [`${at}: documented a non-empty array, got []`]
    return shapeMismatches(documented[0], actual[0], `${at}[0]`)
  }
  if (typeof documented === "object" && typeof actual === "object") {
    const got = actual as Record<string, unknown>
    return Object.entries(documented as Record<string, unknown>).flatMap(([key, value]) =>
      key in got ? shapeMismatches(value, got[key], `${at}.${key}`) : [`${at}.${key}: missing`]
    )
  }
  return []
}

describe("shapeMismatches", () => {
  it("finds missing fields, other types and empty arrays, and accepts extra fields", () => {
    expect(
      shapeMismatches(
        { a: 1, b: { c: "x" }, d: [{ e: true }] },
        { a: 2, b: { c: "y", z: 1 }, d: [{ e: false }] }
      )
    ).toEqual([])
    expect(shapeMismatches({ a: 1, b: { c: "x" }, d: [{ e: true }] }, { a: "1", b: {}, d: [] })).toEqual([
      "$.a: documented number, got string",
      "$.b.c: missing",
      "$.d: documented a non-empty array, got []"
    ])
  })
})

describe("the vendor's examples against the sandbox", () => {
  layer(SandboxTest.layer(), { excludeTestServices: true, timeout: 30_000 })((it) => {
    it.effect("every documented request gets the documented outcome", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const partner = yield* sandbox.createPartner({ name: "Partner Name" })
        const api = client(sandbox, partner.apiKey)
        const expectShape = (reply: { status: number; body: unknown }, status: number, file: string) => {
          expect([file, reply.status]).toEqual([file, status])
          expect([file, shapeMismatches(example(file), reply.body)]).toEqual([file, []])
        }

        // Authentication: no key, and a wrong key, get the documented 401 body exactly.
        const unauthorized = example("error.unauthorized.response.json")
        for (const key of [undefined, "pk_test_not-a-key"]) {
          const reply = yield* request(sandbox.baseUrl, "GET", "/partner/me", { key })
          expect(reply.status).toBe(401)
          expect(reply.body).toEqual(unauthorized)
        }

        // Organizations: both documented create bodies, then the documented list.
        const created = yield* api.post(
          "/partner/organizations",
          example("organizations.create.request.json")
        )
        expect(created.status).toBe(201)
        expect(created.body).toMatchObject({
          organization: {
            name: "Acme Corp",
            externalId: "acme-123",
            tier: "trial",
            credits: 500,
            metadata: { source: "signup" }
          }
        })
        const guide = yield* api.post(
          "/partner/organizations",
          example("organizations.create.guide.request.json")
        )
        expect(guide.status).toBe(201)
        expect(guide.body).toMatchObject({
          organization: { externalId: "client-456", tier: "paid", credits: 1000 }
        })
        const list = yield* api.get("/partner/organizations")
        expectShape(list, 200, "organizations.list.response.json")
        expect(list.body).toMatchObject({ total: 2, page: 1, pageSize: 20 })

        // Credits: the documented allocation on the created trial organization (500 is its cap).
        const orgId = String(field(created.body, "organization", "id"))
        const allocation = yield* api.put(
          `/partner/organizations/${orgId}/credits`,
          example("credits.allocate.request.json")
        )
        expectShape(allocation, 200, "credits.allocate.response.json")
        expect(allocation.body).toMatchObject({
          allocation: { organizationId: orgId, creditsAllocated: 500 }
        })

        // API keys: the documented body carries an expiry that has passed (2026-01-01), which the
        // reference answers with 400 naming the field; a year later it is created as documented.
        const keyRequest = example("apiKeys.create.request.json")
        const expired = yield* api.post("/partner/api-keys", keyRequest)
        expect(expired.status).toBe(400)
        expect(JSON.stringify(field(expired.body, "details"))).toContain("expiresAt")
        const key = yield* api.post("/partner/api-keys", { ...keyRequest, expiresAt: "2099-01-01T00:00:00Z" })
        expectShape(key, 201, "apiKeys.create.response.json")
        expect(key.body).toMatchObject({ apiKey: { name: "Production Key", scopes: ["read", "write"] } })
        expectShape(yield* api.get("/partner/api-keys"), 200, "apiKeys.list.response.json")

        // Webhooks: both channel updates, then the documented read (the secret never comes back).
        const identification = yield* api.put(
          "/partner/webhooks/identification",
          example("webhooks.identification.update.request.json")
        )
        expectShape(identification, 200, "webhooks.identification.update.response.json")
        const billingHook = yield* api.put(
          "/partner/webhooks/billing",
          example("webhooks.billing.update.request.json")
        )
        expectShape(billingHook, 200, "webhooks.billing.update.response.json")
        const hooks = yield* api.get("/partner/webhooks")
        expectShape(hooks, 200, "webhooks.get.response.json")
        expect(hooks.body).toEqual(example("webhooks.get.response.json"))
        expect(hooks.text).not.toContain("whsec_your_webhook_secret")

        // Branding, domain, billing, analytics and the account itself.
        const branding = yield* api.put("/partner/branding", example("branding.update.request.json"))
        expectShape(branding, 200, "branding.update.response.json")
        expect(branding.body).toMatchObject({ partner: example("branding.update.request.json") })
        const domain = yield* api.put("/partner/domain", example("domain.set.request.json"))
        expectShape(domain, 200, "domain.set.response.json")
        expect(domain.body).toMatchObject({ domain: "track.yourcompany.com", verified: false })
        expectShape(yield* api.get("/partner/billing"), 200, "billing.get.response.json")
        expectShape(yield* api.get("/partner/analytics"), 200, "analytics.get.response.json")
        const me = yield* api.get("/partner/me")
        expectShape(me, 200, "partner.me.response.json")
        expect(me.body).toMatchObject({
          partner: {
            scriptDomain: "track.yourcompany.com",
            scriptDomainVerified: false,
            creditPoolUsed: 1500
          }
        })

        // ICP rules: the documented rule set is accepted as an ICP config.
        const icp = yield* api.post(`/partner/organizations/${orgId}/icp-configs`, {
          name: "Documented rules",
          rules: example("icpConfig.rules.json")
        })
        expect(icp.status).toBe(201)
        expect(field(icp.body, "icpConfig", "rules")).toEqual(example("icpConfig.rules.json"))

        // Every documented example took part.
        expect([...used].sort()).toEqual(readdirSync(examplesDir).sort())
      })
    )
  })
})
