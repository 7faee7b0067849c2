import { describe, expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { SandboxTest } from "../../src/SandboxTest.js"
import { client } from "../support/Client.js"
import { field } from "../support/Http.js"

describe("partner account, branding and API keys", () => {
  layer(SandboxTest.layer({ settings: { rateLimit: 1_000_000 } }), {
    excludeTestServices: true,
    timeout: 30_000
  })((it) => {
    it.effect("the bootstrap partner is Demo Partner with the documented pool and limits", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const api = client(sandbox)
        const me = yield* api.get("/partner/me")
        expect(me.status).toBe(200)
        expect(field(me.body, "partner")).toMatchObject({
          id: sandbox.partnerId,
          name: "Demo Partner",
          slug: "demo-partner",
          status: "active",
          billingMode: "pooled",
          creditPoolTotal: 100_000,
          creditPoolUsed: 0,
          creditPoolAvailable: 100_000,
          maxOrganizations: 10_000,
          maxIdentificationsPerOrg: 50_000,
          scriptDomain: null,
          scriptDomainVerified: false,
          isOwner: true
        })
        const script = yield* api.get("/partner/script-config")
        expect(field(script.body, "scriptConfig")).toMatchObject({
          companyName: "Demo Partner",
          slug: "demo-partner",
          scriptBaseUrl: `${sandbox.baseUrl}/visitor-tracking/script`
        })
      })
    )

    it.effect("branding: partial updates show in /partner/me; invalid values are 400", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const partner = yield* sandbox.createPartner({ name: "Brandable" })
        const api = client(sandbox, partner.apiKey)
        const updated = yield* api.put("/partner/branding", {
          logoUrl: "https://example.com/new-logo.png",
          primaryColor: "#0066CC",
          companyName: "Updated Company Name"
        })
        expect(updated.body).toEqual({
          partner: {
            id: partner.partnerId,
            name: "Brandable",
            slug: "brandable",
            logoUrl: "https://example.com/new-logo.png",
            primaryColor: "#0066CC",
            secondaryColor: "#333333",
            companyName: "Updated Company Name"
          }
        })
        expect(
          field((yield* api.put("/partner/branding", { logoUrl: null })).body, "partner", "logoUrl")
        ).toBeNull()
        for (const body of [
          { logoUrl: "http://example.com/logo.png" },
          { primaryColor: "#12345" },
          { secondaryColor: "red" },
          { companyName: "" },
          { companyName: null },
          { companyName: "x".repeat(256) }
        ]) {
          expect([JSON.stringify(body), (yield* api.put("/partner/branding", body)).status]).toEqual([
            JSON.stringify(body),
            400
          ])
        }
        expect(field((yield* api.get("/partner/me")).body, "partner", "companyName")).toBe(
          "Updated Company Name"
        )
      })
    )

    it.effect("API keys: 201 with the plain key once, newest first, validation of scopes and expiry", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const partner = yield* sandbox.createPartner()
        const api = client(sandbox, partner.apiKey)
        const created = yield* api.post("/partner/api-keys", {
          name: "Production Key",
          scopes: ["read", "write"],
          expiresAt: "2999-01-01T00:00:00Z"
        })
        expect(created.status).toBe(201)
        const apiKey = field(created.body, "apiKey") as Record<string, unknown>
        expect(apiKey).toMatchObject({
          name: "Production Key",
          scopes: ["read", "write"],
          status: "active",
          expiresAt: "2999-01-01T00:00:00Z"
        })
        expect("lastUsedAt" in apiKey).toBe(false)
        expect(String(field(created.body, "plainKey")).startsWith(String(apiKey["keyPrefix"]))).toBe(true)
        const listed = field((yield* api.get("/partner/api-keys")).body, "apiKeys") as ReadonlyArray<
          Record<string, unknown>
        >
        expect(listed.map((k) => k["name"])).toEqual(["Production Key", "Bootstrap key"])
        expect(JSON.stringify(listed)).not.toContain(String(field(created.body, "plainKey")))
        for (const body of [
          { name: "" },
          { name: "x".repeat(101) },
          { name: "k", scopes: [] },
          { name: "k", scopes: ["owner"] },
          { name: "k", scopes: ["read", "read"] },
          { name: "k", expiresAt: "2000-01-01T00:00:00Z" },
          { name: "k", expiresAt: "tomorrow" }
        ]) {
          const reply = yield* api.post("/partner/api-keys", body)
          expect([JSON.stringify(body), reply.status]).toEqual([JSON.stringify(body), 400])
        }
        expect((yield* api.del("/partner/api-keys/not-a-key")).status).toBe(404)
      })
    )
  })
})
