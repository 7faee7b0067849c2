import type { HttpClient } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Layer, Option, Redacted } from "effect"
import { inspect } from "node:util"
import { Organizations } from "../src/Organizations.js"
import { PartnerAccount } from "../src/PartnerAccount.js"
import * as PartnerClient from "../src/PartnerClient.js"
import { PartnerConfig } from "../src/PartnerConfig.js"
import { RateLimitGovernor } from "../src/RateLimitGovernor.js"
import { RetryPolicy } from "../src/RetryPolicy.js"
import * as UndiciHttpClient from "../src/UndiciHttpClient.js"
import { capture } from "./support/Capture.js"
import { testServer, type Reply } from "./support/TestServer.js"
import { organization } from "./support/Wire.js"

const key = "pk_test_S3cr3tK3yValue0123456789abcdef"

const rateHeaders = () => ({
  "x-ratelimit-limit": "1000",
  "x-ratelimit-remaining": "998",
  "x-ratelimit-reset": String(Math.ceil(Date.now() / 1000) + 60),
  date: new Date().toUTCString()
})

// Each test gets a new governor and no retries, so a scripted status comes back as is.
const clientLayer = (
  http: Layer.Layer<HttpClient.HttpClient>,
  baseUrl: string,
  retryPolicy = RetryPolicy.make({ maxRetries: 0, maxRateLimitRetries: 0 })
) =>
  Layer.unwrapEffect(
    Effect.map(RateLimitGovernor.make, (governor) =>
      Layer.mergeAll(PartnerAccount.Default, Organizations.Default).pipe(
        Layer.provideMerge(
          PartnerClient.layer({ baseUrl, apiKey: Redacted.make(key), governor, retryPolicy })
        ),
        Layer.provide(http)
      )
    )
  )

// Builds the layer in the test's scope, so the HTTP client stays open until the test ends.
const services = (http: Layer.Layer<HttpClient.HttpClient>, baseUrl: string, retryPolicy?: RetryPolicy) =>
  Effect.map(Layer.build(clientLayer(http, baseUrl, retryPolicy)), (ctx) => ({
    orgs: Context.get(ctx, Organizations),
    account: Context.get(ctx, PartnerAccount)
  }))

const errorTable = [
  [400, "BadRequest", "BadRequest"],
  [401, "Unauthorized", "Unauthorized"],
  [403, "Forbidden", "Forbidden"],
  [404, "NotFound", "NotFound"],
  [409, "Conflict", "Conflict"],
  [413, "PayloadTooLarge", "PayloadTooLarge"],
  [422, "UnprocessableEntity", "UnprocessableEntity"],
  [429, "TooManyRequests", "RateLimited"],
  [500, "InternalError", "InternalError"]
] as const

// The SDK's own client (what the apps use) and @effect/platform-node's, which the SDK works with as well.
// Only the platform's client records request headers on its span (the key redacted); the SDK's records none.
const httpClients = [
  ["UndiciHttpClient", UndiciHttpClient.layer, { recordsHeaders: false }],
  ["@effect/platform-node's undici client", NodeHttpClient.layerUndici, { recordsHeaders: true }]
] as const

describe.each(httpClients)("PartnerClient over real HTTP with %s", (_name, http, { recordsHeaders }) => {
  it.scopedLive("sends the key in X-Partner-API-Key and decodes the success", () =>
    Effect.gen(function* () {
      const server = yield* testServer(() => ({
        status: 201,
        body: { organization },
        headers: rateHeaders()
      }))
      const { orgs } = yield* services(http, server.baseUrl)
      const created = yield* orgs.create({ name: "Acme", externalId: "acme-1" })
      expect(created.id).toBe("org-1")
      const [request] = server.requests
      expect(request?.headers["x-partner-api-key"]).toBe(key)
      expect(request?.url).toBe("/api/v1/partner/organizations")
      expect(JSON.parse(request?.body ?? "")).toEqual({ name: "Acme", externalId: "acme-1" })
    })
  )

  for (const [status, code, tag] of errorTable) {
    it.scopedLive(`maps ${status} to ${tag}, keeping code, message, details and the request`, () =>
      Effect.gen(function* () {
        const details = { reason: "example", requested: 900, available: 400 }
        const server = yield* testServer(() => ({
          status,
          body: { code, message: `Refused with ${status}`, details },
          headers: { ...rateHeaders(), "retry-after": "1" }
        }))
        const { orgs } = yield* services(http, server.baseUrl)
        const error = yield* Effect.flip(orgs.update("org-1", { name: "New" }))
        expect(error._tag).toBe(tag)
        if (!("code" in error) || !("details" in error)) return expect.fail(`no wire fields on ${error._tag}`)
        expect([error.status, error.code, error.message, error.details]).toEqual([
          status,
          code,
          `Refused with ${status}`,
          details
        ])
        expect(error.request).toEqual({ method: "PUT", path: "/partner/organizations/:organizationId" })
        expect(error.rateLimit?.limit).toBe(1000)
      })
    )
  }

  it.scopedLive("keeps an unexpected code string from the real API, mapping by status", () =>
    Effect.gen(function* () {
      const server = yield* testServer(() => ({
        status: 404,
        body: { code: "organization_not_found", message: "No such organization" }
      }))
      const { orgs } = yield* services(http, server.baseUrl)
      const error = yield* Effect.flip(orgs.get("nope"))
      expect(error._tag).toBe("NotFound")
      expect(error._tag === "NotFound" && [error.code, error.details]).toEqual(["organization_not_found", {}])
    })
  )

  it.scopedLive("a 503 is an InternalError with its real status", () =>
    Effect.gen(function* () {
      const server = yield* testServer(() => ({
        status: 503,
        body: { code: "Unavailable", message: "Down" }
      }))
      const { account } = yield* services(http, server.baseUrl)
      const error = yield* Effect.flip(account.me())
      expect(error._tag).toBe("InternalError")
      expect(error._tag === "InternalError" && [error.status, error.code]).toEqual([503, "Unavailable"])
    })
  )

  it.scopedLive("a response outside the contract is a ResponseDecodeError naming the failing path", () =>
    Effect.gen(function* () {
      const server = yield* testServer(() => ({
        status: 200,
        body: { organization: { ...organization, credits: "ten" } }
      }))
      const { orgs } = yield* services(http, server.baseUrl)
      const error = yield* Effect.flip(orgs.get("org-1"))
      expect(error._tag).toBe("ResponseDecodeError")
      expect(error._tag === "ResponseDecodeError" && error.path).toEqual(["organization", "credits"])
    })
  )

  it.scopedLive("invalid input is refused before anything is sent", () =>
    Effect.gen(function* () {
      const server = yield* testServer(() => ({ status: 200, body: {} }))
      const { orgs } = yield* services(http, server.baseUrl)
      const error = yield* Effect.flip(orgs.allocateCredits("org-1", { credits: -5 }))
      expect(error._tag).toBe("BadRequest")
      expect(error._tag === "BadRequest" && error.code).toBe("InvalidRequest")
      expect(error.message).toContain("credits")
      expect(server.requests).toHaveLength(0)
    })
  )

  it.scopedLive("a POST cut off after sending is a NetworkError whose outcome is unknown, sent once", () =>
    Effect.gen(function* () {
      const server = yield* testServer((): Reply => ({ status: 0, reset: true }))
      const { orgs } = yield* services(http, server.baseUrl, RetryPolicy.default)
      const error = yield* Effect.flip(orgs.create({ name: "Acme" }))
      expect(error._tag).toBe("NetworkError")
      expect(error._tag === "NetworkError" && error.outcomeUnknown).toBe(true)
      expect(server.requests).toHaveLength(1)
    })
  )

  it.scopedLive("no answer within the attempt timeout is a Timeout", () =>
    Effect.gen(function* () {
      const server = yield* testServer((): Reply => ({ status: 0, hang: true }))
      const { account } = yield* services(
        http,
        server.baseUrl,
        RetryPolicy.make({ maxRetries: 0, attemptTimeoutMs: 150 })
      )
      const error = yield* Effect.flip(account.me())
      expect(error._tag).toBe("Timeout")
      expect(error._tag === "Timeout" && error.timeoutMs).toBe(150)
    })
  )

  it.scopedLive("the key never appears in an error, a log line or a span attribute", () =>
    Effect.gen(function* () {
      const { captured, layer } = capture()
      const server = yield* testServer((request) =>
        request.url.endsWith("/partner/me")
          ? {
              status: 401,
              body: { code: "Unauthorized", message: "Invalid or missing API key", details: {} }
            }
          : request.url.includes("/visitors")
            ? { status: 200, body: { nonsense: true } }
            : { status: 500, body: { code: "InternalError", message: "Boom", details: {} } }
      )
      const errors = yield* Effect.gen(function* () {
        const account = yield* PartnerAccount
        const orgs = yield* Organizations
        yield* Effect.logDebug("starting calls")
        const results = yield* Effect.all(
          [
            Effect.flip(account.me()),
            Effect.flip(orgs.get("org-1")),
            Effect.flip(orgs.listVisitors("org-1")),
            Effect.flip(orgs.allocateCredits("org-1", { credits: -1 }))
          ],
          { concurrency: 1 }
        )
        for (const error of results) yield* Effect.logError("call failed", error)
        return results
      }).pipe(
        Effect.withSpan("test"),
        Effect.provide(clientLayer(http, server.baseUrl)),
        Effect.provide(layer)
      )
      expect(errors.map((e) => e._tag)).toEqual([
        "Unauthorized",
        "InternalError",
        "ResponseDecodeError",
        "BadRequest"
      ])
      expect(server.requests.every((r) => r.headers["x-partner-api-key"] === key)).toBe(true)
      // The request is traced (its URL is on a span) without its headers' values.
      expect(captured.spans.some((s) => String(s.attributes.get("url.full")).endsWith("/partner/me"))).toBe(
        true
      )
      expect(captured.logs.length).toBeGreaterThanOrEqual(5)
      const everything = [
        captured.text(),
        ...errors.flatMap((e) => [
          String(e),
          JSON.stringify(e),
          inspect(e, { depth: 20 }),
          e.message,
          e.stack ?? ""
        ])
      ].join("\n")
      if (recordsHeaders) expect(everything).toContain("x-partner-api-key")
      expect(everything).not.toContain(key)
    })
  )
})

describe("PartnerClient.layerFromConfig", () => {
  const configLayer = (apiKey: Option.Option<Redacted.Redacted<string>>, baseUrl: string) =>
    Layer.succeed(PartnerConfig, { apiKey, baseUrl, profile: Option.none(), source: "env" as const })

  it.scopedLive("uses the configured key and base URL", () =>
    Effect.gen(function* () {
      const server = yield* testServer(() => ({ status: 200, body: { organization } }))
      const ctx = yield* Layer.build(
        Organizations.Default.pipe(
          Layer.provide(PartnerClient.layerFromConfig()),
          Layer.provide(configLayer(Option.some(Redacted.make(key)), server.baseUrl)),
          Layer.provide(NodeHttpClient.layerUndici)
        )
      )
      yield* Context.get(ctx, Organizations).get("org-1")
      expect(server.requests[0]?.headers["x-partner-api-key"]).toBe(key)
    })
  )

  it.scopedLive("without a key it fails with one actionable line", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        Layer.build(
          PartnerClient.layerFromConfig().pipe(
            Layer.provide(configLayer(Option.none(), "http://127.0.0.1:9/api/v1")),
            Layer.provide(NodeHttpClient.layerUndici)
          )
        )
      )
      expect(error._tag).toBe("PartnerConfigError")
      expect(error.message).toBe(
        "No API key configured: set BULLSEYE_API_KEY or select a profile with --profile"
      )
    })
  )
})
