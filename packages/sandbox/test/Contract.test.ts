import { IcpRules } from "@bullseye-partner/core/Domain/Icp"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Redacted, Schema } from "effect"
import { SandboxTest } from "../src/SandboxTest.js"
import { receiver } from "./support/Receiver.js"
import { sdkAt } from "./support/Sdk.js"

/** The SDK's services for one key, living as long as the test's scope. */
const sdk = (apiKey?: Redacted.Redacted<string>) =>
  Effect.flatMap(SandboxTest, (sandbox) => sdkAt(sandbox.baseUrl, apiKey ?? sandbox.apiKey))

/** The typed error an SDK call failed with, as the fields the contract fixes. */
const refusal = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.flip(effect), (error) => ({
    tag: error._tag,
    code: "code" in error ? error.code : undefined,
    reason:
      "details" in error &&
      typeof error.details === "object" &&
      error.details !== null &&
      "reason" in error.details
        ? error.details.reason
        : undefined
  }))

const rules = Schema.decodeUnknownSync(IcpRules)({
  groups: [{ operator: "AND", conditions: [{ type: "industry", comparator: "eq", value: "SaaS" }] }]
})

describe("contract: the real SDK over real HTTP against the sandbox", () => {
  layer(SandboxTest.layer({ settings: { rateLimit: 1_000_000 } }), {
    excludeTestServices: true,
    timeout: 60_000
  })((it) => {
    it.scoped("partner account, API keys, branding", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const api = yield* sdk()
        const me = yield* api.account.me()
        expect(me).toMatchObject({ id: sandbox.partnerId, name: "Demo Partner", creditPoolTotal: 100_000 })
        expect((yield* api.account.scriptConfig()).slug).toBe("demo-partner")
        const created = yield* api.keys.create({ name: "SDK key", scopes: ["read"] })
        expect(Redacted.value(created.plainKey)).toMatch(/^pk_test_/)
        expect((yield* api.keys.list()).map((k) => k.name)).toContain("SDK key")
        expect(
          yield* refusal(api.keys.create({ name: "Past", expiresAt: "2001-01-01T00:00:00Z" }))
        ).toMatchObject({ tag: "BadRequest", code: "BadRequest" })
        yield* api.keys.revoke(created.apiKey.id)
        expect(yield* refusal(api.keys.revoke("no-such-key"))).toMatchObject({
          tag: "NotFound",
          code: "NotFound"
        })
        const branded = yield* api.branding.update({ companyName: "SDK Inc", primaryColor: "#abcdef" })
        expect(branded).toMatchObject({ companyName: "SDK Inc", primaryColor: "#abcdef" })

        const readOnly = yield* sdk(created.plainKey)
        expect(yield* refusal(readOnly.account.me())).toMatchObject({
          tag: "Unauthorized",
          code: "Unauthorized"
        })
        const reader = yield* api.keys.create({ name: "Reader", scopes: ["read"] })
        const asReader = yield* sdk(reader.plainKey)
        expect((yield* asReader.account.me()).id).toBe(sandbox.partnerId)
        expect(yield* refusal(asReader.keys.list())).toMatchObject({ tag: "Forbidden", code: "Forbidden" })
        expect(yield* refusal(asReader.orgs.create({ name: "No" }))).toMatchObject({ tag: "Forbidden" })
      })
    )

    it.scoped("organizations, credits, pixel and visitors with every endpoint-specific error", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const limited = yield* sandbox.createPartner({ creditPoolTotal: 1000, maxOrganizations: 3 })
        const api = yield* sdk(limited.apiKey)
        const org = yield* api.orgs.create({
          name: "Acme",
          externalId: "acme-1",
          tier: "paid",
          initialCredits: 600
        })
        expect(org).toMatchObject({ name: "Acme", credits: 600, tier: "paid" })
        expect(yield* refusal(api.orgs.create({ name: "Dup", externalId: "acme-1" }))).toMatchObject({
          tag: "Conflict",
          code: "Conflict"
        })
        expect(yield* refusal(api.orgs.create({ name: "T", initialCredits: 501 }))).toMatchObject({
          tag: "UnprocessableEntity",
          reason: "trial_credit_cap"
        })
        expect(
          yield* refusal(api.orgs.create({ name: "P", tier: "paid", initialCredits: 401 }))
        ).toMatchObject({ reason: "insufficient_pool" })
        const second = yield* api.orgs.create({ name: "Second", externalId: "second" })
        yield* api.orgs.create({ name: "Third" })
        expect(yield* refusal(api.orgs.create({ name: "Fourth" }))).toMatchObject({
          reason: "organization_limit"
        })

        const page = yield* api.orgs.list({ pageSize: 2 })
        expect([page.total, page.organizations.length]).toEqual([3, 2])
        expect(yield* refusal(api.orgs.list({ pageSize: 1000 }))).toMatchObject({ tag: "BadRequest" })
        expect((yield* api.orgs.get(org.id)).id).toBe(org.id)
        expect(yield* refusal(api.orgs.get("missing"))).toMatchObject({ tag: "NotFound" })
        expect((yield* api.orgs.update(org.id, { metadata: { a: 1 } })).metadata).toEqual({ a: 1 })
        expect(yield* refusal(api.orgs.update("missing", { name: "x" }))).toMatchObject({ tag: "NotFound" })
        expect(yield* refusal(api.orgs.update(second.id, { externalId: "acme-1" }))).toMatchObject({
          tag: "Conflict"
        })
        expect((yield* api.orgs.setStatus(org.id, "suspended")).status).toBe("suspended")
        expect(yield* refusal(api.orgs.setStatus("missing", "active"))).toMatchObject({ tag: "NotFound" })
        expect(yield* refusal(api.orgs.setTier(org.id, "trial"))).toMatchObject({
          reason: "trial_credit_cap"
        })
        expect(yield* refusal(api.orgs.setTier("missing", "paid"))).toMatchObject({ tag: "NotFound" })
        const allocation = yield* api.orgs.allocateCredits(org.id, { credits: 700, notes: "more" })
        expect(allocation).toMatchObject({ creditsAllocated: 700, notes: "more" })
        expect(yield* refusal(api.orgs.allocateCredits(org.id, { credits: 5000 }))).toMatchObject({
          reason: "insufficient_pool"
        })
        expect(yield* refusal(api.orgs.allocateCredits(second.id, { credits: 501 }))).toMatchObject({
          reason: "trial_credit_cap"
        })
        expect(yield* refusal(api.orgs.allocateCredits("missing", { credits: 1 }))).toMatchObject({
          tag: "NotFound"
        })
        yield* api.orgs.setStatus(org.id, "active")
        yield* sandbox.control("POST", "/identifications", {
          partnerId: limited.partnerId,
          organizationId: org.id,
          count: 2
        })
        expect(yield* refusal(api.orgs.allocateCredits(org.id, { credits: 1 }))).toMatchObject({
          reason: "below_used"
        })

        const pixel = yield* api.orgs.getPixel(org.id)
        expect(pixel.organizationId).toBe(org.id)
        expect(yield* refusal(api.orgs.getPixel("missing"))).toMatchObject({ tag: "NotFound" })
        expect(
          (yield* api.orgs.updatePixel(org.id, { allowedDomains: ["acme.com"] })).allowedDomains
        ).toEqual(["acme.com"])
        expect(yield* refusal(api.orgs.updatePixel("missing", { enabled: false }))).toMatchObject({
          tag: "NotFound"
        })

        const visitors = yield* api.orgs.listVisitors(org.id)
        expect(visitors.total).toBe(2)
        const visitor = yield* api.orgs.getVisitor(org.id, visitors.visitors[0]!.id)
        expect(visitor.sessions.length).toBeGreaterThan(0)
        expect(yield* refusal(api.orgs.listVisitors("missing"))).toMatchObject({ tag: "NotFound" })
        expect(yield* refusal(api.orgs.getVisitor(org.id, "missing"))).toMatchObject({ tag: "NotFound" })

        yield* api.orgs.cancel(org.id)
        yield* api.orgs.cancel(org.id)
        expect(yield* refusal(api.orgs.cancel("missing"))).toMatchObject({ tag: "NotFound" })
        expect(yield* refusal(api.orgs.update(org.id, { name: "x" }))).toMatchObject({
          reason: "organization_canceled"
        })
        expect(yield* refusal(api.orgs.setStatus(org.id, "active"))).toMatchObject({
          reason: "organization_canceled"
        })
        expect(yield* refusal(api.orgs.setTier(org.id, "paid"))).toMatchObject({
          reason: "organization_canceled"
        })
        expect(yield* refusal(api.orgs.allocateCredits(org.id, { credits: 2 }))).toMatchObject({
          reason: "organization_canceled"
        })
        const ensured = yield* api.orgs.ensure({ name: "Ensured", externalId: "acme-1" })
        expect(ensured.outcome).toBe("created")
        expect((yield* api.orgs.ensure({ name: "Ensured", externalId: "acme-1" })).outcome).toBe("existed")
      })
    )

    it.scoped("ICP configs", () =>
      Effect.gen(function* () {
        const api = yield* sdk()
        const org = yield* api.orgs.create({ name: "ICP" })
        const config = yield* api.icp.create(org.id, { name: "SaaS", rules })
        expect(config).toMatchObject({ name: "SaaS", priority: 1, active: true })
        expect((yield* api.icp.list(org.id)).length).toBe(1)
        expect((yield* api.icp.get(org.id, config.id)).id).toBe(config.id)
        expect((yield* api.icp.update(org.id, config.id, { active: false })).active).toBe(false)
        yield* api.icp.delete(org.id, config.id)
        for (const failing of [
          api.icp.list("missing"),
          api.icp.create("missing", { name: "x", rules }),
          api.icp.get(org.id, config.id),
          api.icp.update(org.id, config.id, { name: "y" }),
          api.icp.delete(org.id, config.id)
        ]) {
          expect(yield* refusal(failing)).toMatchObject({ tag: "NotFound" })
        }
        for (let i = 0; i < 50; i++) yield* api.icp.create(org.id, { name: `C${i}`, rules })
        expect(yield* refusal(api.icp.create(org.id, { name: "C50", rules }))).toMatchObject({
          reason: "icp_config_limit"
        })
      })
    )

    it.scoped("webhooks", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const partner = yield* sandbox.createPartner()
        const api = yield* sdk(partner.apiKey)
        expect(yield* api.webhooks.get()).toEqual({
          identification: { url: null, enabled: false, hasSecret: false },
          billing: { url: null, enabled: false, hasSecret: false }
        })
        expect(yield* refusal(api.webhooks.update("billing", { enabled: true }))).toMatchObject({
          reason: "webhook_url_missing"
        })
        expect(yield* refusal(api.webhooks.test("billing"))).toMatchObject({ reason: "webhook_url_missing" })
        const hook = yield* receiver([200])
        const channel = yield* api.webhooks.update("billing", {
          url: hook.url,
          secret: Redacted.make("whsec_contract_1"),
          enabled: true
        })
        expect(channel).toEqual({ url: hook.url, enabled: true, hasSecret: true })
        expect((yield* api.webhooks.update("identification", { url: hook.url })).enabled).toBe(false)
        const delivery = yield* api.webhooks.test("billing")
        expect(delivery).toMatchObject({ status: "success", attempts: 1 })
        const logs = yield* api.webhooks.logs({ type: "billing" })
        expect(logs.logs[0]?.id).toBe(delivery.id)
      })
    )

    it.scoped("billing, domains and analytics", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const partner = yield* sandbox.createPartner()
        const api = yield* sdk(partner.apiKey)
        expect((yield* api.billing.info()).creditPoolTotal).toBe(100_000)
        expect((yield* api.billing.usage()).currency).toBe("USD")
        expect((yield* api.billing.calculate(2000)).totalCost).toBe(50)
        expect(yield* refusal(api.billing.calculate(-1))).toMatchObject({ tag: "BadRequest" })
        expect(yield* refusal(api.domains.verification())).toMatchObject({ tag: "NotFound" })
        expect(yield* refusal(api.domains.verify())).toMatchObject({ tag: "NotFound" })
        const setup = yield* api.domains.set("track.contract.dev")
        expect(setup).toMatchObject({ domain: "track.contract.dev", verified: false })
        expect((yield* api.domains.verification()).verificationRecord).toBe(setup.verificationRecord)
        expect(yield* refusal(api.domains.verify())).toMatchObject({ reason: "domain_verification_failed" })
        yield* sandbox.control("PUT", "/dns", {
          records: [
            { type: "CNAME", name: "track.contract.dev", value: "track.bullseye.so" },
            { type: "TXT", name: "_bullseye-verify.track.contract.dev", value: setup.verificationRecord }
          ]
        })
        expect((yield* api.domains.verify()).verified).toBe(true)
        const analytics = yield* api.analytics.get()
        expect(analytics.partnerId).toBe(partner.partnerId)
        expect(
          (yield* api.analytics.usage({ startDate: "2025-01-01", endDate: "2025-01-31" })).totalQuantity
        ).toBe(0)
        expect(
          yield* refusal(api.analytics.get({ startDate: "2025-02-10", endDate: "2025-02-01" }))
        ).toMatchObject({ tag: "BadRequest", code: "BadRequest" })
        expect(
          yield* refusal(api.analytics.usage({ startDate: "2020-01-01", endDate: "2022-01-01" }))
        ).toMatchObject({ tag: "BadRequest" })
      })
    )

    it.scoped("a 5xx from the sandbox is the SDK's InternalError", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const api = yield* sdk()
        yield* sandbox.control("PUT", "/faults", { rate500: 1, routes: ["GET /partner/me"] })
        const failed = yield* refusal(api.account.me())
        yield* sandbox.control("DELETE", "/faults")
        expect(failed).toMatchObject({ tag: "InternalError", code: "InternalError" })
      })
    )
  })
})
