import { describe, expect, it, layer } from "@effect/vitest"
import { SqlClient } from "@effect/sql"
import { Effect, Either, Layer, Option, Redacted } from "effect"
import { calculate } from "../../src/Store/Billing.js"
import { ApiKeys } from "../../src/Store/ApiKeys.js"
import { Billing } from "../../src/Store/Billing.js"
import { Organizations } from "../../src/Store/Organizations.js"
import { Outbox } from "../../src/Store/Outbox.js"
import { Partners } from "../../src/Store/Partners.js"
import * as Stores from "../../src/Store/Stores.js"
import { Vault } from "../../src/Store/Vault.js"
import { Webhooks } from "../../src/Store/Webhooks.js"
import { dialects } from "../support/Databases.js"
import * as Database from "../../src/Store/Database.js"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { defaultPricingTiers } from "../../src/Store/Partners.js"

const now = new Date("2025-03-10T12:00:00.000Z")

const newPartner = (creditPoolTotal = 10_000, maxOrganizations = 100) =>
  Effect.flatMap(Partners, (p) =>
    p.create({ name: "Test Partner", creditPoolTotal, maxOrganizations, maxIdentificationsPerOrg: 1000 }, now)
  )

const errorOf = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.either(effect), (result) => {
    if (Either.isRight(result)) return undefined
    const error: unknown = result.left
    return typeof error === "object" && error !== null && "status" in error && "details" in error
      ? { status: error.status, details: error.details }
      : { status: -1, details: String(error) }
  })

for (const dialect of dialects) {
  describe(`store on ${dialect.name}`, () => {
    layer(Stores.layer.pipe(Layer.provideMerge(dialect.layer())), {
      excludeTestServices: true,
      timeout: 30_000
    })((it) => {
      it.effect("creates a partner with an empty pool usage and both webhook channels", () =>
        Effect.gen(function* () {
          const partners = yield* Partners
          const id = yield* newPartner()
          const me = yield* partners.me(id)
          expect(me).toMatchObject({
            id,
            name: "Test Partner",
            slug: "test-partner",
            creditPoolTotal: 10_000,
            creditPoolUsed: 0,
            creditPoolAvailable: 10_000,
            identificationWebhookEnabled: false,
            billingWebhookUrl: null,
            createdAt: "2025-03-10T12:00:00Z"
          })
        })
      )

      it.effect(
        "api keys: stored as hash and prefix, resolved in constant time, revoked and expired refused",
        () =>
          Effect.gen(function* () {
            const keys = yield* ApiKeys
            const sql = yield* SqlClient.SqlClient
            const partnerId = yield* newPartner()
            const created = yield* keys.create(partnerId, { name: "ci", scopes: ["read"] }, now)
            const plain = Redacted.value(created.plainKey)
            expect(plain).toMatch(/^pk_test_[0-9A-Za-z]{32}$/)
            expect(created.apiKey.keyPrefix).toBe(plain.slice(0, 14))
            const stored = yield* sql`SELECT * FROM api_keys WHERE id = ${created.apiKey.id}`
            expect(JSON.stringify(stored)).not.toContain(plain)
            const found = yield* keys.authenticate(created.plainKey, now)
            expect(Option.getOrThrow(found)).toEqual({
              partnerId,
              keyId: created.apiKey.id,
              scopes: ["read"]
            })
            const wrong = `${plain.slice(0, -1)}${plain.endsWith("a") ? "b" : "a"}`
            expect(Option.isNone(yield* keys.authenticate(Redacted.make(wrong), now))).toBe(true)
            expect(Option.isNone(yield* keys.authenticate(Redacted.make(""), now))).toBe(true)

            const expiring = yield* keys.create(
              partnerId,
              { name: "short", expiresAt: new Date(now.getTime() + 60_000) },
              now
            )
            expect(expiring.apiKey.scopes).toEqual(["read", "write", "admin"])
            const later = new Date(now.getTime() + 61_000)
            expect(Option.isNone(yield* keys.authenticate(expiring.plainKey, later))).toBe(true)

            expect(yield* keys.revoke(partnerId, created.apiKey.id, now)).toBe(true)
            expect(yield* keys.revoke(partnerId, created.apiKey.id, later)).toBe(true)
            expect(yield* keys.revoke(partnerId, "unknown", now)).toBe(false)
            expect(Option.isNone(yield* keys.authenticate(created.plainKey, now))).toBe(true)
            const listed = yield* keys.list(partnerId, later)
            expect(listed.map((k) => [k.name, k.status])).toEqual(
              expect.arrayContaining([
                ["ci", "revoked"],
                ["short", "expired"]
              ])
            )
            expect(listed.find((k) => k.name === "ci")?.revokedAt).toBe("2025-03-10T12:00:00Z")
          })
      )

      it.effect("another partner's key or organization is invisible", () =>
        Effect.gen(function* () {
          const keys = yield* ApiKeys
          const orgs = yield* Organizations
          const a = yield* newPartner()
          const b = yield* newPartner()
          const key = yield* keys.create(a, { name: "a" }, now)
          expect(yield* keys.revoke(b, key.apiKey.id, now)).toBe(false)
          const org = yield* orgs.create(a, { name: "Acme" }, now)
          expect((yield* errorOf(orgs.get(b, org.id)))?.status).toBe(404)
          expect((yield* orgs.list(b, {})).total).toBe(0)
        })
      )

      it.effect("organizations: create, filter, search, paginate newest first", () =>
        Effect.gen(function* () {
          const orgs = yield* Organizations
          const partnerId = yield* newPartner()
          for (let i = 0; i < 5; i++) {
            yield* orgs.create(
              partnerId,
              { name: i % 2 === 0 ? `Acme ${i}` : `Globex_${i}`, externalId: `ext-${i}` },
              new Date(now.getTime() + i * 1000)
            )
          }
          const all = yield* orgs.list(partnerId, { pageSize: 2 })
          expect(all.total).toBe(5)
          expect(all.organizations.map((o) => o.name)).toEqual(["Acme 4", "Globex_3"])
          const page3 = yield* orgs.list(partnerId, { pageSize: 2, page: 3 })
          expect(page3.organizations.map((o) => o.name)).toEqual(["Acme 0"])
          const past = yield* orgs.list(partnerId, { pageSize: 2, page: 9 })
          expect([past.organizations.length, past.total]).toEqual([0, 5])
          expect((yield* orgs.list(partnerId, { search: "ACME" })).total).toBe(3)
          expect((yield* orgs.list(partnerId, { search: "_" })).total).toBe(2)
          expect((yield* orgs.list(partnerId, { search: "%" })).total).toBe(0)
          expect((yield* orgs.list(partnerId, { externalId: "ext-3" })).organizations[0]?.name).toBe(
            "Globex_3"
          )
          const created = (yield* orgs.list(partnerId, { externalId: "ext-0" })).organizations[0]
          expect(created).toMatchObject({
            status: "active",
            tier: "trial",
            credits: 0,
            creditsUsed: 0,
            creditsAvailable: 0,
            productType: "B2B",
            billingPeriod: "monthly",
            billingDayOfMonth: 1,
            metadata: {},
            canceledAt: null
          })
        })
      )

      it.effect("organizations: business rules refuse with the documented 409/422 details", () =>
        Effect.gen(function* () {
          const orgs = yield* Organizations
          const partnerId = yield* newPartner(1000, 3)
          const first = yield* orgs.create(
            partnerId,
            { name: "One", externalId: "x", tier: "paid", initialCredits: 800 },
            now
          )
          expect(yield* errorOf(orgs.setTier(partnerId, first.id, "trial", now))).toMatchObject({
            status: 422,
            details: { reason: "trial_credit_cap", requested: 800 }
          })
          expect(yield* errorOf(orgs.create(partnerId, { name: "Dup", externalId: "x" }, now))).toMatchObject(
            {
              status: 409,
              details: { externalId: "x" }
            }
          )
          expect(
            yield* errorOf(orgs.create(partnerId, { name: "Trial", initialCredits: 501 }, now))
          ).toMatchObject({
            status: 422,
            details: { reason: "trial_credit_cap" }
          })
          expect(
            yield* errorOf(orgs.create(partnerId, { name: "Big", tier: "paid", initialCredits: 300 }, now))
          ).toEqual({ status: 422, details: { reason: "insufficient_pool", requested: 300, available: 200 } })
          const second = yield* orgs.create(partnerId, { name: "Two" }, now)
          yield* orgs.create(partnerId, { name: "Three" }, now)
          expect(yield* errorOf(orgs.create(partnerId, { name: "Four" }, now))).toMatchObject({
            status: 422,
            details: { reason: "organization_limit", limit: 3 }
          })
          expect(yield* errorOf(orgs.allocate(partnerId, second.id, { credits: 300 }, now))).toMatchObject({
            status: 422,
            details: { reason: "insufficient_pool", requested: 300, available: 200 }
          })
          const allocation = yield* orgs.allocate(partnerId, first.id, { credits: 500, notes: "down" }, now)
          expect(allocation).toMatchObject({
            creditsAllocated: 500,
            creditsUsed: 0,
            creditsAvailable: 500,
            notes: "down"
          })
          yield* orgs.spendCredit(partnerId, first.id, now)
          yield* orgs.spendCredit(partnerId, first.id, now)
          expect(yield* errorOf(orgs.allocate(partnerId, first.id, { credits: 1 }, now))).toMatchObject({
            status: 422,
            details: { reason: "below_used", used: 2 }
          })
          yield* orgs.cancel(partnerId, first.id, now)
          yield* orgs.cancel(partnerId, first.id, now)
          const canceled = yield* orgs.get(partnerId, first.id)
          expect(canceled).toMatchObject({
            status: "canceled",
            credits: 2,
            creditsUsed: 2,
            canceledAt: "2025-03-10T12:00:00Z"
          })
          const partners = yield* Partners
          expect(yield* partners.pool(partnerId)).toEqual({ total: 1000, used: 0, available: 1000 })
          expect(yield* errorOf(orgs.setStatus(partnerId, first.id, "active", now))).toMatchObject({
            status: 422,
            details: { reason: "organization_canceled" }
          })
          const reused = yield* orgs.create(partnerId, { name: "Reuse", externalId: "x" }, now)
          expect(reused.externalId).toBe("x")
        })
      )

      it.effect("50 concurrent allocations against a pool for 10 leave it at exactly zero", () =>
        Effect.gen(function* () {
          const orgs = yield* Organizations
          const partners = yield* Partners
          const partnerId = yield* newPartner(1000, 100)
          const ids = yield* Effect.forEach(
            Array.from({ length: 50 }, (_, i) => i),
            (i) =>
              orgs.create(partnerId, { name: `Org ${i}`, tier: "paid" }, now).pipe(Effect.map((o) => o.id))
          )
          const results = yield* Effect.forEach(
            ids,
            (id) =>
              Effect.either(
                orgs
                  .allocate(partnerId, id, { credits: 100 }, now)
                  .pipe(Effect.catchTag("SqlError", Effect.die))
              ),
            { concurrency: "unbounded" }
          )
          expect(results.filter(Either.isRight).length).toBe(10)
          const refusals = results.filter(Either.isLeft).map((r) => r.left.details["reason"])
          expect(new Set(refusals)).toEqual(new Set(["insufficient_pool"]))
          expect(yield* partners.pool(partnerId)).toEqual({ total: 1000, used: 1000, available: 0 })
        })
      )

      it.effect(
        "webhook secrets are encrypted at rest and events are recorded only for enabled channels",
        () =>
          Effect.gen(function* () {
            const webhooks = yield* Webhooks
            const outbox = yield* Outbox
            const sql = yield* SqlClient.SqlClient
            const partnerId = yield* newPartner()
            const emit = outbox.emit({
              partnerId,
              type: "billing",
              event: "credits.low",
              organizationId: null,
              payload: { event: "credits.low" },
              now
            })
            expect(Option.isNone(yield* emit)).toBe(true)
            const secret = "whsec_super_secret_value"
            const channel = yield* webhooks.updateChannel(
              partnerId,
              "billing",
              { url: "https://example.com/hook", secret: Redacted.make(secret), enabled: true },
              now
            )
            expect(channel).toEqual({ url: "https://example.com/hook", enabled: true, hasSecret: true })
            const rows = yield* sql`SELECT * FROM webhook_channels WHERE partner_id = ${partnerId}`
            expect(JSON.stringify(rows)).not.toContain(secret)
            const state = yield* webhooks.channelState(partnerId, "billing")
            expect(Option.map(state.secret, Redacted.value)).toEqual(Option.some(secret))
            const id = Option.getOrThrow(yield* emit)
            const logs = yield* webhooks.logs(partnerId, { type: "billing" })
            expect(logs.logs.map((l) => [l.id, l.status, l.attempts])).toEqual([[id, "pending", 0]])
            const cleared = yield* webhooks.updateChannel(
              partnerId,
              "billing",
              { secret: null, enabled: false },
              now
            )
            expect(cleared).toEqual({ url: "https://example.com/hook", enabled: false, hasSecret: false })
          })
      )

      it.effect("the vault round-trips and never stores the plain value", () =>
        Effect.gen(function* () {
          const vault = yield* Vault
          const sealed = vault.encrypt(Redacted.make("plain-secret"))
          expect(sealed).not.toContain("plain-secret")
          expect(Redacted.value(vault.decrypt(sealed))).toBe("plain-secret")
          expect(vault.encrypt(Redacted.make("plain-secret"))).not.toBe(sealed)
        })
      )

      it.effect("closing a billing period keeps its usage and renews organizations' credits", () =>
        Effect.gen(function* () {
          const orgs = yield* Organizations
          const billing = yield* Billing
          const partnerId = yield* newPartner()
          const org = yield* orgs.create(partnerId, { name: "A", initialCredits: 100 }, now)
          yield* orgs.spendCredit(partnerId, org.id, now)
          const info = yield* billing.info(partnerId)
          expect([info.billingPeriodStart, info.nextBillingDate]).toEqual([
            "2025-03-01T00:00:00Z",
            "2025-04-01T00:00:00Z"
          ])
          expect(yield* billing.closeDue(partnerId, now)).toEqual([])
          const closed = yield* billing.closeDue(partnerId, new Date("2025-05-02T00:00:00Z"))
          expect(closed.map((c) => [c.usage.periodStart, c.usage.periodEnd])).toEqual([
            ["2025-03-01T00:00:00Z", "2025-04-01T00:00:00Z"],
            ["2025-04-01T00:00:00Z", "2025-05-01T00:00:00Z"]
          ])
          expect(yield* orgs.get(partnerId, org.id)).toMatchObject({ credits: 100, creditsUsed: 0 })
          expect((yield* billing.info(partnerId)).nextBillingDate).toBe("2025-06-01T00:00:00Z")
          expect((yield* billing.closedPeriods(partnerId)).length).toBe(2)
        })
      )
    })
  })
}

describe("graduated pricing", () => {
  it("prices each unit by its band and rounds only the money", () => {
    expect(calculate(defaultPricingTiers, 0).totalCost).toBe(0)
    const result = calculate(defaultPricingTiers, 12_345)
    expect(result.breakdown).toEqual([
      { tier: "trial", units: 1000, pricePerIdentification: 0, cost: 0 },
      { tier: "standard", units: 9000, pricePerIdentification: 0.05, cost: 450 },
      { tier: "scale", units: 2345, pricePerIdentification: 0.03, cost: 70.35 }
    ])
    expect(result.totalCost).toBe(520.35)
    const capped = calculate(
      [
        { tier: "a", pricePerIdentification: 0.1, minUsage: 0, maxUsage: 10 },
        { tier: "b", pricePerIdentification: 0.333, minUsage: 11, maxUsage: 20 }
      ],
      25
    )
    expect(capped.breakdown.map((b) => [b.units, b.cost])).toEqual([
      [10, 1],
      [15, 5]
    ])
    expect(capped.totalCost).toBe(6)
  })
})

describe("migrations", () => {
  it.live("are recorded and not applied twice when the same file is opened again", () =>
    Effect.gen(function* () {
      const dir = mkdtempSync(join(tmpdir(), "bullseye-migrate-"))
      const location = { _tag: "Sqlite", filename: join(dir, "store.db") } as const
      const open = Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        return yield* sql`SELECT migration_id FROM sandbox_migrations`
      }).pipe(Effect.provide(Database.layer(location)))
      expect((yield* open).length).toBe(1)
      expect((yield* open).length).toBe(1)
      rmSync(dir, { recursive: true, force: true })
    })
  )
})
