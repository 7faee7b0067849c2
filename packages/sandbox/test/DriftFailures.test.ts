// The SDK's failure paths against a stand-in for the real API: the sandbox behind a proxy that answers an
// applied write with an HTML error page, or asks for an absurd wait.
import { Organizations } from "@bullseye-partner/core/Organizations"
import * as PartnerClient from "@bullseye-partner/core/PartnerClient"
import * as RateLimitGovernor from "@bullseye-partner/core/RateLimitGovernor"
import { RetryPolicy } from "@bullseye-partner/core/RetryPolicy"
import * as UndiciHttpClient from "@bullseye-partner/core/UndiciHttpClient"
import { describe, expect, layer } from "@effect/vitest"
import { Clock, Context, Effect, Layer } from "effect"
import { SandboxTest } from "../src/SandboxTest.js"
import { Drift, driftServer } from "./support/DriftServer.js"
import { absurdRetryAfter, creditsPath } from "./support/DriftRules.js"

// Clients built here share one governor registry, as an application's clients would; writes are not
// repeated (like the runner's write client), so a re-read is what decides.
const organizations = (baseUrl: string) =>
  Effect.gen(function* () {
    const sandbox = yield* SandboxTest
    const ctx = yield* Layer.build(
      Organizations.Default.pipe(
        Layer.provide(
          PartnerClient.layer({
            baseUrl,
            apiKey: sandbox.apiKey,
            retryPolicy: RetryPolicy.make({ maxRetries: 0 })
          })
        )
      )
    )
    return Context.get(ctx, Organizations)
  })

describe("SDK failures through the drift server", () => {
  layer(Layer.mergeAll(SandboxTest.layer(), UndiciHttpClient.layer, RateLimitGovernor.layerRegistry()))(
    (it) => {
      it.scoped(
        "an applied PUT .../credits behind an HTML 500 is an InternalError whose re-read says applied",
        () =>
          Effect.gen(function* () {
            const sandbox = yield* SandboxTest
            const drift = yield* driftServer(sandbox.baseUrl, [
              { method: "PUT", path: creditsPath, reply: Drift.htmlError(500) }
            ])
            const direct = yield* organizations(sandbox.baseUrl)
            const orgs = yield* organizations(drift.baseUrl)
            const organization = yield* direct.create({ name: "Drift credits", externalId: "drift-credits" })

            const error = yield* Effect.flip(orgs.allocateCredits(organization.id, { credits: 77 }))
            if (error._tag !== "InternalError") return expect.fail(`got ${error._tag}`)
            expect([error.status, error.outcomeUnknown]).toEqual([500, true])

            const ensured = yield* orgs.ensureCredits(organization.id, { credits: 88 })
            expect(ensured).toEqual({ credits: 88, outcome: "recovered" })
            expect((yield* direct.get(organization.id)).credits).toBe(88)
            // Each change was sent once: the re-read decided, nothing was repeated.
            const puts = (yield* drift.hits).filter((h) => h.method === "PUT")
            expect(puts.map((h) => [h.status, h.drifted])).toEqual([
              [500, true],
              [500, true]
            ])
          })
      )

      it.scoped("a create behind an HTML 502 is recovered by ensure, never created twice", () =>
        Effect.gen(function* () {
          const sandbox = yield* SandboxTest
          const drift = yield* driftServer(sandbox.baseUrl, [
            { method: "POST", path: /^\/partner\/organizations$/, reply: Drift.htmlError(502) }
          ])
          const orgs = yield* organizations(drift.baseUrl)
          const result = yield* orgs.ensure({ name: "Drift create", externalId: "drift-create" })
          expect(result.outcome).toBe("recovered")
          const found = yield* (yield* organizations(sandbox.baseUrl)).list({ externalId: "drift-create" })
          expect(found.organizations.map((o) => o.id)).toEqual([result.organization.id])
        })
      )

      it.scoped(
        "a 429 with Retry-After: 999999 fails fast with RateLimited, and another base URL goes on",
        () =>
          Effect.gen(function* () {
            const sandbox = yield* SandboxTest
            const drift = yield* driftServer(sandbox.baseUrl, [absurdRetryAfter])
            const limited = yield* organizations(drift.baseUrl)
            const before = yield* Clock.currentTimeMillis
            const error = yield* Effect.flip(limited.list())
            if (error._tag !== "RateLimited") return expect.fail(`got ${error._tag}`)
            expect(error.retryAt).toBeGreaterThanOrEqual(before + 999_999_000)
            // The same key at the sandbox's own base URL has a governor of its own.
            const page = yield* (yield* organizations(sandbox.baseUrl)).list()
            expect(page.total).toBeGreaterThanOrEqual(0)
            // Later calls at the drift URL fail at once, without reaching it.
            expect((yield* Effect.flip(limited.list()))._tag).toBe("RateLimited")
            expect((yield* drift.hits).length).toBe(1)
          })
      )
    }
  )
})
