import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Layer, Redacted } from "effect"
import { Organizations } from "../src/Organizations.js"
import * as PartnerClient from "../src/PartnerClient.js"
import * as RateLimitGovernor from "../src/RateLimitGovernor.js"
import * as UndiciHttpClient from "../src/UndiciHttpClient.js"
import { testServer, type Reply } from "./support/TestServer.js"
import { organization as wireOrganization } from "./support/Wire.js"

const key = Redacted.make("pk_test_bounded")

const organization = { organization: wireOrganization }

const tooManyRequests = (headers: Record<string, string>) => (): Reply => ({
  status: 429,
  body: { code: "TooManyRequests", message: "Rate limit exceeded", details: { limit: 1000 } },
  headers
})

// The default retry policy (five rate-limit retries): a bounded wait must not be retried into a stall.
const organizations = (baseUrl: string) =>
  Effect.map(
    Layer.build(Organizations.Default.pipe(Layer.provide(PartnerClient.layer({ baseUrl, apiKey: key })))),
    (ctx) => Context.get(ctx, Organizations)
  )

describe("bounded rate-limit waits", () => {
  it.scopedLive("a 429 with Retry-After: 999999 fails fast with RateLimited carrying the retry time", () =>
    Effect.gen(function* () {
      const server = yield* testServer(tooManyRequests({ "retry-after": "999999" }))
      const before = Date.now()
      const error = yield* Effect.flip((yield* organizations(server.baseUrl)).get("org-1"))
      if (error._tag !== "RateLimited") return expect.fail(`got ${error._tag}`)
      expect(error.details).toEqual({ limit: 1000 })
      expect(error.retryAt).toBeGreaterThanOrEqual(before + 999_999_000)
      expect(error.retryAt).toBeLessThanOrEqual(Date.now() + 999_999_000)
      expect(server.requests).toHaveLength(1)
    }).pipe(Effect.provide(UndiciHttpClient.layer))
  )

  it.scopedLive("a 429 whose X-RateLimit-Reset is days away fails fast the same way", () =>
    Effect.gen(function* () {
      const reset = Math.ceil(Date.now() / 1000) + 5 * 86_400
      const server = yield* testServer(
        tooManyRequests({
          "x-ratelimit-limit": "1000",
          "x-ratelimit-remaining": "0",
          "x-ratelimit-reset": String(reset)
        })
      )
      const error = yield* Effect.flip((yield* organizations(server.baseUrl)).get("org-1"))
      if (error._tag !== "RateLimited") return expect.fail(`got ${error._tag}`)
      // In client time: the Date header (whole seconds) says the clocks agree within a second.
      expect(error.retryAt).toBeGreaterThanOrEqual(reset * 1000)
      expect(error.retryAt).toBeLessThanOrEqual(reset * 1000 + 1000)
      expect(server.requests).toHaveLength(1)
    }).pipe(Effect.provide(UndiciHttpClient.layer))
  )

  it.scopedLive("a spent window whose reset is days away does not hold back the next request", () =>
    Effect.gen(function* () {
      const reset = String(Math.ceil(Date.now() / 1000) + 5 * 86_400)
      const server = yield* testServer(() => ({
        status: 200,
        body: organization,
        headers: { "x-ratelimit-limit": "1000", "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset }
      }))
      const get = (yield* organizations(server.baseUrl)).get("org-1")
      yield* get
      yield* get
      expect(server.requests).toHaveLength(2)
    }).pipe(Effect.provide(UndiciHttpClient.layer))
  )

  it.scopedLive(
    "governors are per base URL and key: a poisoned reset at one base URL never stalls another",
    () =>
      Effect.gen(function* () {
        const poisoned = yield* testServer(tooManyRequests({ "retry-after": "999999" }))
        const healthy = yield* testServer(() => ({ status: 200, body: organization }))
        const a = yield* organizations(poisoned.baseUrl)
        const b = yield* organizations(healthy.baseUrl)
        const again = yield* organizations(poisoned.baseUrl)
        expect((yield* Effect.flip(a.get("org-1")))._tag).toBe("RateLimited")
        expect((yield* b.get("org-1")).name).toBe("Acme")
        // Another client of the same base URL and key shares the governor: it fails fast without sending.
        expect((yield* Effect.flip(again.get("org-1")))._tag).toBe("RateLimited")
        expect([poisoned.requests.length, healthy.requests.length]).toEqual([1, 1])
      }).pipe(Effect.provide(Layer.merge(UndiciHttpClient.layer, RateLimitGovernor.layerRegistry())))
  )
})
