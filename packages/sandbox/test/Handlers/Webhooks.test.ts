import { verify } from "@bullseye-partner/core/WebhookSignature"
import { decodeWebhookEvent } from "@bullseye-partner/core/WebhookEvent"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { SandboxTest } from "../../src/SandboxTest.js"
import { client } from "../support/Client.js"
import { field } from "../support/Http.js"
import { receiver } from "../support/Receiver.js"

const secret = "whsec_test_secret_1234"

describe("webhooks", () => {
  layer(
    SandboxTest.layer({
      settings: { rateLimit: 1_000_000, webhookTimeScale: 6000, dispatcherPollMillis: 20 }
    }),
    { excludeTestServices: true, timeout: 30_000 }
  )((it) => {
    it.effect("channels: partial updates, write-only secret, url rules, enabling without url is 422", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const partner = yield* sandbox.createPartner()
        const api = client(sandbox, partner.apiKey)
        expect((yield* api.get("/partner/webhooks")).body).toEqual({
          identification: { url: null, enabled: false, hasSecret: false },
          billing: { url: null, enabled: false, hasSecret: false }
        })
        const missing = yield* api.put("/partner/webhooks/billing", { enabled: true })
        expect([missing.status, field(missing.body, "details", "reason")]).toEqual([
          422,
          "webhook_url_missing"
        ])
        const set = yield* api.put("/partner/webhooks/billing", {
          url: "https://example.com/webhooks/billing",
          secret: "whsec_your_webhook_secret",
          enabled: true
        })
        expect(set.body).toEqual({
          billing: { url: "https://example.com/webhooks/billing", enabled: true, hasSecret: true }
        })
        expect(JSON.stringify((yield* api.get("/partner/webhooks")).body)).not.toContain("whsec")
        const me = yield* api.get("/partner/me")
        expect([
          field(me.body, "partner", "billingWebhookUrl"),
          field(me.body, "partner", "billingWebhookEnabled")
        ]).toEqual(["https://example.com/webhooks/billing", true])
        const cleared = yield* api.put("/partner/webhooks/billing", { url: null })
        expect([cleared.status, field(cleared.body, "details", "reason")]).toEqual([
          422,
          "webhook_url_missing"
        ])
        for (const body of [
          { url: "http://example.com/hook" },
          { url: "https://10.1.2.3/hook" },
          { url: "https://169.254.169.254/latest" },
          { url: "https://[fd00::1]/x" },
          { url: "ftp://example.com" },
          { url: "not a url" },
          { secret: "short" },
          { secret: "x".repeat(257) }
        ]) {
          const reply = yield* api.put("/partner/webhooks/identification", body)
          expect([JSON.stringify(body), reply.status]).toEqual([JSON.stringify(body), 400])
        }
        expect(
          (yield* api.put("/partner/webhooks/identification", { url: "http://localhost:9/x" })).status
        ).toBe(200)
      })
    )

    it.scoped("a test delivery is one signed, synchronous attempt; failures are logged, not retried", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const partner = yield* sandbox.createPartner()
        const api = client(sandbox, partner.apiKey)
        const missing = yield* api.post("/partner/webhooks/test", { type: "identification" })
        expect([missing.status, field(missing.body, "details", "reason")]).toEqual([
          422,
          "webhook_url_missing"
        ])
        const hook = yield* receiver([200, 500])
        yield* api.put("/partner/webhooks/identification", { url: hook.url, secret })
        const ok = yield* api.post("/partner/webhooks/test", { type: "identification" })
        expect(field(ok.body, "delivery")).toMatchObject({
          type: "identification",
          event: "webhook.test",
          status: "success",
          attempts: 1,
          responseStatus: 200,
          error: null,
          nextRetryAt: null
        })
        const sent = hook.received[0]!
        expect(sent.headers["x-bullseye-event"]).toBe("webhook.test")
        expect(sent.headers["x-bullseye-delivery"]).toBe(field(ok.body, "delivery", "id"))
        expect(sent.headers["user-agent"]).toBe("Bullseye-Webhooks/1")
        expect(sent.headers["content-type"]).toBe("application/json")
        expect(verify(Redacted.make(secret), sent.body, String(sent.headers["x-bullseye-signature"]))).toBe(
          true
        )
        const failed = yield* api.post("/partner/webhooks/test", { type: "identification" })
        expect(field(failed.body, "delivery")).toMatchObject({
          status: "failed",
          attempts: 1,
          responseStatus: 500,
          nextRetryAt: null
        })
        const logs = yield* api.get("/partner/webhooks/logs?type=identification&status=failed")
        expect([field(logs.body, "total"), field(logs.body, "logs", 0, "id")]).toEqual([
          1,
          field(failed.body, "delivery", "id")
        ])
        yield* api.put("/partner/webhooks/identification", { secret: null })
        yield* api.post("/partner/webhooks/test", { type: "identification" })
        expect(hook.received[2]!.headers["x-bullseye-signature"]).toBeUndefined()
        const redirect = yield* receiver([302])
        yield* api.put("/partner/webhooks/identification", { url: redirect.url })
        const redirected = yield* api.post("/partner/webhooks/test", { type: "identification" })
        expect(field(redirected.body, "delivery")).toMatchObject({ status: "failed", responseStatus: 302 })
        expect(redirect.received.length).toBe(1)
      })
    )

    it.scoped(
      "events are retried on the compressed schedule until a 2xx, every attempt logged, bodies decode",
      () =>
        Effect.gen(function* () {
          const sandbox = yield* SandboxTest
          const partner = yield* sandbox.createPartner()
          const api = client(sandbox, partner.apiKey)
          const hook = yield* receiver([503, 500, 200])
          yield* api.put("/partner/webhooks/billing", { url: hook.url, secret, enabled: true })
          const org = yield* api.post("/partner/organizations", {
            name: "Billed",
            tier: "paid",
            initialCredits: 100
          })
          const orgId = String(field(org.body, "organization", "id"))
          yield* hook.waitFor(3)
          const deadline = Date.now() + 5000
          let delivery: unknown
          while (Date.now() < deadline) {
            delivery = field((yield* api.get("/partner/webhooks/logs?type=billing")).body, "logs", 0)
            if (field(delivery, "status") === "success") break
            yield* Effect.sleep(20)
          }
          expect(delivery).toMatchObject({
            event: "credits.allocated",
            organizationId: orgId,
            status: "success",
            attempts: 3,
            responseStatus: 200
          })
          expect(new Set(hook.received.map((r) => r.headers["x-bullseye-delivery"])).size).toBe(1)
          expect(new Set(hook.received.map((r) => r.body)).size).toBe(1)
          const gap = hook.received[2]!.at - hook.received[1]!.at
          expect(gap).toBeGreaterThanOrEqual(40)
          const event = yield* decodeWebhookEvent(hook.received[0]!.body)
          expect(event).toMatchObject({
            _tag: "CreditsAllocated",
            organization_id: orgId,
            data: { credits_allocated: 100, previous_allocation: 0 }
          })
          const attempts = yield* sandbox.control(
            "GET",
            `/deliveries/${String(field(delivery, "id"))}/attempts`
          )
          expect(
            (field(attempts, "attempts") as ReadonlyArray<{ responseStatus: number }>).map(
              (a) => a.responseStatus
            )
          ).toEqual([503, 500, 200])
        })
    )

    it.scoped(
      "a failing receiver gets exactly six attempts, spaced by the schedule (1m, 5m, 30m, 2h, 6h / 6000)",
      () =>
        Effect.gen(function* () {
          const sandbox = yield* SandboxTest
          const partner = yield* sandbox.createPartner()
          const api = client(sandbox, partner.apiKey)
          const hook = yield* receiver([500])
          yield* api.put("/partner/webhooks/billing", { url: hook.url, secret, enabled: true })
          yield* api.post("/partner/organizations", {
            name: "Never delivered",
            tier: "paid",
            initialCredits: 10
          })
          yield* hook.waitFor(6)
          const scheduleMs = [60_000, 300_000, 1_800_000, 7_200_000, 21_600_000].map((ms) => ms / 6000)
          const gaps = hook.received.slice(1).map((r, i) => r.at - hook.received[i]!.at)
          gaps.forEach((gap, i) => {
            expect(gap).toBeGreaterThanOrEqual(scheduleMs[i]! - 2)
            expect(gap).toBeLessThan(scheduleMs[i]! + 1000)
          })
          yield* Effect.sleep(400)
          expect(hook.received).toHaveLength(6)
          const log = field((yield* api.get("/partner/webhooks/logs?type=billing")).body, "logs", 0)
          expect(log).toMatchObject({ status: "failed", attempts: 6, responseStatus: 500, nextRetryAt: null })
        })
    )

    it.scoped("setting an allocation to the value it already has emits no credits.allocated", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const partner = yield* sandbox.createPartner()
        const api = client(sandbox, partner.apiKey)
        const hook = yield* receiver([200])
        yield* api.put("/partner/webhooks/billing", { url: hook.url, secret, enabled: true })
        const org = yield* api.post("/partner/organizations", { name: "Repeated", tier: "paid" })
        const orgId = String(field(org.body, "organization", "id"))
        for (const credits of [100, 100, 250, 250]) {
          expect((yield* api.put(`/partner/organizations/${orgId}/credits`, { credits })).status).toBe(200)
        }
        yield* hook.waitFor(2)
        yield* Effect.sleep(300)
        const logs = field(
          (yield* api.get("/partner/webhooks/logs?type=billing")).body,
          "logs"
        ) as ReadonlyArray<{
          readonly event: string
        }>
        expect(logs.filter((l) => l.event === "credits.allocated")).toHaveLength(2)
        expect(hook.received).toHaveLength(2)
      })
    )

    it.scoped(
      "identifications are delivered as visitor.identified; disabling a channel stops pending retries",
      () =>
        Effect.gen(function* () {
          const sandbox = yield* SandboxTest
          const partner = yield* sandbox.createPartner()
          const api = client(sandbox, partner.apiKey)
          const hook = yield* receiver([200])
          yield* api.put("/partner/webhooks/identification", { url: hook.url, secret, enabled: true })
          const orgId = String(
            field(
              (yield* api.post("/partner/organizations", {
                name: "Identified",
                tier: "paid",
                initialCredits: 5
              })).body,
              "organization",
              "id"
            )
          )
          yield* sandbox.control("POST", "/identifications", {
            partnerId: partner.partnerId,
            organizationId: orgId,
            count: 2
          })
          yield* hook.waitFor(2)
          for (const received of hook.received) {
            expect(
              verify(Redacted.make(secret), received.body, String(received.headers["x-bullseye-signature"]))
            ).toBe(true)
            const event = yield* decodeWebhookEvent(received.body)
            expect(event).toMatchObject({ _tag: "VisitorIdentified", organization_id: orgId })
          }
          const failing = yield* receiver([500])
          yield* api.put("/partner/webhooks/identification", { url: failing.url })
          yield* sandbox.control("POST", "/identifications", {
            partnerId: partner.partnerId,
            organizationId: orgId,
            count: 1
          })
          yield* failing.waitFor(1)
          yield* api.put("/partner/webhooks/identification", { enabled: false })
          yield* Effect.sleep(50)
          const atDisable = failing.received.length
          yield* Effect.sleep(1500)
          expect(failing.received.length).toBe(atDisable)
          expect(atDisable).toBeLessThan(6)
          const logs = yield* api.get(`/partner/webhooks/logs?organizationId=${orgId}&status=failed`)
          expect(field(logs.body, "logs", 0)).toMatchObject({
            url: failing.url,
            status: "failed",
            error: "Channel disabled before delivery"
          })
        })
    )
  })
})
