import * as SandboxControl from "@bullseye-partner/core/SandboxControl"
import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import { SandboxTest } from "../src/SandboxTest.js"
import { client } from "./support/Client.js"
import { field } from "./support/Http.js"

const control = Effect.gen(function* () {
  const sandbox = yield* SandboxTest
  return yield* SandboxControl.make({ baseUrl: sandbox.baseUrl, token: sandbox.controlToken })
})

describe("the SDK's sandbox control client", () => {
  layer(Layer.merge(SandboxTest.layer({ settings: { rateLimit: 1_000_000 } }), NodeHttpClient.layerUndici), {
    excludeTestServices: true,
    timeout: 30_000
  })((it) => {
    it.effect("creates partners whose key works and simulates identifications that spend credits", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const ctl = yield* control
        const partner = yield* ctl.createPartner({ name: "Control Test", creditPoolTotal: 5000 })
        expect(Redacted.isRedacted(partner.apiKey)).toBe(true)
        const api = client(sandbox, partner.apiKey)
        expect(field((yield* api.get("/partner/me")).body, "partner", "name")).toBe("Control Test")
        const org = yield* api.post("/partner/organizations", {
          name: "Spender",
          tier: "paid",
          initialCredits: 0
        })
        const orgId = String(field(org.body, "organization", "id"))
        yield* api.put(`/partner/organizations/${orgId}/credits`, { credits: 100 })
        yield* api.put(`/partner/organizations/${orgId}/pixel`, {
          allowedDomains: ["spender.example"],
          enabled: true
        })
        yield* ctl.identify({ organizationId: orgId, count: 7 })
        const after = yield* api.get(`/partner/organizations/${orgId}`)
        expect(field(after.body, "organization", "creditsUsed")).toBe(7)
        expect(field((yield* api.get(`/partner/organizations/${orgId}/visitors`)).body, "total")).toBe(7)
      })
    )

    it.effect("faults set through the client answer requests, and clearing them restores service", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const ctl = yield* control
        const partner = yield* ctl.createPartner()
        const api = client(sandbox, partner.apiKey)
        yield* ctl.setFaults({ seed: 1, rate503: 1, routes: ["GET /partner/me"] })
        expect((yield* api.get("/partner/me")).status).toBe(503)
        expect((yield* api.get("/partner/webhooks")).status).toBe(200)
        yield* ctl.clearFaults()
        expect((yield* api.get("/partner/me")).status).toBe(200)
      })
    )

    it.effect("DNS records set through the client make domain verification pass", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const ctl = yield* control
        const partner = yield* ctl.createPartner()
        const api = client(sandbox, partner.apiKey)
        const setup = (yield* api.put("/partner/domain", { domain: "track.control.example" })).body
        expect((yield* api.post("/partner/domain/verify")).status).toBe(422)
        yield* ctl.setDns([
          { type: "CNAME", name: "track.control.example", value: String(field(setup, "cnameTarget")) },
          {
            type: "TXT",
            name: "_bullseye-verify.track.control.example",
            value: String(field(setup, "verificationRecord"))
          }
        ])
        const verified = yield* api.post("/partner/domain/verify")
        expect([verified.status, field(verified.body, "verified")]).toEqual([200, true])
      })
    )

    it.effect("a wrong token is refused with a typed error that does not carry the token", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const bad = yield* SandboxControl.make({
          baseUrl: sandbox.baseUrl,
          token: Redacted.make("sbx_wrong_token_value")
        })
        const error = yield* Effect.flip(bad.createPartner())
        expect([error._tag, error.status]).toEqual(["SandboxControlError", 401])
        expect(JSON.stringify(error) + String(error)).not.toContain("sbx_wrong_token_value")
      })
    )
  })
})
