import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Layer, Logger, Redacted } from "effect"
import { inspect } from "node:util"
import { ApiKeys } from "../src/ApiKeys.js"
import {
  InternalError,
  NetworkError,
  outcomeUnknown,
  ResponseDecodeError,
  Timeout,
  type ApiError
} from "../src/Errors.js"
import { Organizations } from "../src/Organizations.js"
import { PartnerAccount } from "../src/PartnerAccount.js"
import * as PartnerClient from "../src/PartnerClient.js"
import { RetryPolicy } from "../src/RetryPolicy.js"
import * as UndiciHttpClient from "../src/UndiciHttpClient.js"
import { capture } from "./support/Capture.js"
import { testServer, type Recorded, type Reply } from "./support/TestServer.js"

const secret = "pk_live_Th1sMustN3verLeak0123456789abcd"

// No retries: every scripted answer comes back as it is.
const services = (baseUrl: string) =>
  Effect.map(
    Layer.build(
      Layer.mergeAll(ApiKeys.Default, Organizations.Default, PartnerAccount.Default).pipe(
        Layer.provide(
          PartnerClient.layer({
            baseUrl,
            apiKey: Redacted.make("pk_test_errors"),
            retryPolicy: RetryPolicy.make({ maxRetries: 0, maxRateLimitRetries: 0 })
          })
        ),
        Layer.provide(UndiciHttpClient.layer)
      )
    ),
    (ctx) => ({
      apiKeys: Context.get(ctx, ApiKeys),
      orgs: Context.get(ctx, Organizations),
      account: Context.get(ctx, PartnerAccount)
    })
  )

const raw =
  (status: number, body: string, headers: Record<string, string> = {}) =>
  (): Reply => ({
    status: 0,
    raw: (res) => {
      res.writeHead(status, headers)
      res.end(body)
    }
  })

const htmlPage = (status: number) =>
  `<html><head><title>${status} Bad Gateway</title></head><body><center><h1>${status}</h1></center><hr><center>nginx</center></body></html>`

// Everything a program could show of an error: printing, JSON, inspection, and what a logger writes.
const everyRendering = (error: unknown) =>
  Effect.gen(function* () {
    const { captured, layer } = capture()
    yield* Effect.logError("call failed", error).pipe(Effect.provide(layer))
    yield* Effect.logError(error).pipe(Effect.provide(layer))
    const lines: Array<string> = []
    yield* Effect.logError("again", error).pipe(
      Effect.provide(
        Logger.replace(Logger.defaultLogger, Logger.logfmtLogger.pipe(Logger.map((l) => lines.push(l))))
      )
    )
    return [
      String(error),
      JSON.stringify(error),
      inspect(error, { depth: 20 }),
      captured.text(),
      ...lines
    ].join("\n")
  })

describe("lossless errors", () => {
  it.scopedLive(
    "a 2xx that does not decode says the request was applied, with status, redacted raw body and path",
    () =>
      Effect.gen(function* () {
        const allocation = {
          id: "a-1",
          partnerId: "p-1",
          organizationId: "org-1",
          creditsAllocated: "fifty",
          creditsUsed: 0,
          creditsAvailable: 50,
          allocatedAt: "2025-02-27T10:30:00Z",
          notes: secret
        }
        const body = JSON.stringify({ allocation })
        const server = yield* testServer(raw(200, body, { "content-type": "application/json" }))
        const { orgs } = yield* services(server.baseUrl)
        const error = yield* Effect.flip(orgs.allocateCredits("org-1", { credits: 50 }))
        if (!(error instanceof ResponseDecodeError)) return expect.fail(`got ${error._tag}`)
        expect([error.status, error.applied, error.path]).toEqual([
          200,
          true,
          ["allocation", "creditsAllocated"]
        ])
        expect(error.message).toContain("applied")
        expect(Redacted.value(error.body)).toBe(body)
        expect(outcomeUnknown(error)).toBe(true)
        const rendered = yield* everyRendering(error)
        // The body field is shown, as redacted, in every rendering that shows fields.
        expect(rendered).toContain("<redacted>")
        expect(rendered).not.toContain(secret)
      })
  )

  it.scopedLive("a read whose answer does not decode is applied but leaves nothing to reconcile", () =>
    Effect.gen(function* () {
      const server = yield* testServer(raw(200, '{"partner": 7}'))
      const { account } = yield* services(server.baseUrl)
      const error = yield* Effect.flip(account.me())
      expect(error._tag === "ResponseDecodeError" && [error.applied, error.path]).toEqual([true, ["partner"]])
      expect(outcomeUnknown(error)).toBe(false)
    })
  )

  it.scopedLive("an undeclared 4xx is a ResponseDecodeError that was not applied, keeping the body", () =>
    Effect.gen(function* () {
      const server = yield* testServer(raw(418, "short and stout"))
      const { orgs } = yield* services(server.baseUrl)
      const error = yield* Effect.flip(orgs.setTier("org-1", "paid"))
      if (!(error instanceof ResponseDecodeError)) return expect.fail(`got ${error._tag}`)
      expect([error.status, error.applied, Redacted.value(error.body)]).toEqual([
        418,
        false,
        "short and stout"
      ])
      expect(error.message).toContain("Unexpected status 418")
      expect(outcomeUnknown(error)).toBe(false)
    })
  )

  const serverFailures: ReadonlyArray<
    readonly [string, number, string, "write" | "read", string | undefined]
  > = [
    ["an HTML 500 after a PUT", 500, htmlPage(500), "write", undefined],
    ["an empty 502 after a POST", 502, "", "write", undefined],
    ["a truncated JSON 503 after a DELETE", 503, '{"code":"Unavail', "write", undefined],
    ["an HTML 504 on a GET", 504, htmlPage(504), "read", undefined],
    [
      "a wire 503 on a PUT",
      503,
      '{"code":"Unavailable","message":"Down","details":{}}',
      "write",
      "Unavailable"
    ]
  ]
  for (const [name, status, body, kind, code] of serverFailures) {
    it.scopedLive(`${name} is an InternalError with its status, outcome unknown only for writes`, () =>
      Effect.gen(function* () {
        const server = yield* testServer(raw(status, body, { "content-type": "text/html" }))
        const { orgs } = yield* services(server.baseUrl)
        const call =
          kind === "read"
            ? orgs.get("org-1")
            : status === 502
              ? orgs.create({ name: "Acme" })
              : status === 503 && code === undefined
                ? orgs.cancel("org-1")
                : orgs.allocateCredits("org-1", { credits: 10 })
        const error = yield* Effect.flip(call as Effect.Effect<unknown, ApiError | ResponseDecodeError>)
        if (!(error instanceof InternalError)) return expect.fail(`got ${error._tag}`)
        expect([error.status, error.outcomeUnknown, error.code]).toEqual([
          status,
          kind === "write",
          code ?? "InternalError"
        ])
        expect(outcomeUnknown(error)).toBe(kind === "write")
        expect(server.requests).toHaveLength(1)
      })
    )
  }

  it.scopedLive("a gateway's 429 without the wire body is still RateLimited", () =>
    Effect.gen(function* () {
      const server = yield* testServer(raw(429, "<html>slow down</html>", { "retry-after": "1" }))
      const { account } = yield* services(server.baseUrl)
      const error = yield* Effect.flip(account.me())
      expect(error._tag === "RateLimited" && [error.status, error.code]).toEqual([429, "TooManyRequests"])
    })
  )

  it("outcomeUnknown: only what may have been applied by a write", () => {
    const put = { method: "PUT", path: "/x" }
    const get = { method: "GET", path: "/x" }
    const decode = (status: number, applied: boolean, request = put) =>
      new ResponseDecodeError({ message: "m", status, applied, body: Redacted.make(""), path: [], request })
    const internal = (unknown: boolean) =>
      new InternalError({ status: 500, code: "c", message: "m", details: {}, outcomeUnknown: unknown })
    expect(
      [
        internal(true),
        internal(false),
        new NetworkError({ message: "m", outcomeUnknown: true, request: put }),
        new NetworkError({ message: "m", outcomeUnknown: false, request: put }),
        new Timeout({ message: "m", timeoutMs: 1, request: put }),
        new Timeout({ message: "m", timeoutMs: 1, request: get }),
        decode(200, true),
        decode(200, true, get),
        decode(418, false)
      ].map(outcomeUnknown)
    ).toEqual([true, false, true, false, true, false, true, false, false])
  })
})

describe("ApiKeys.create never loses the plain key", () => {
  const apiKey = {
    id: "key-1",
    name: "Production Key",
    keyPrefix: "pk_live_Th1s",
    scopes: ["read"],
    status: "active",
    createdAt: "2025-02-27T10:30:00Z"
  }

  const created =
    (body: unknown) =>
    (request: Recorded): Reply =>
      request.method === "POST" ? { status: 201, body } : { status: 404, body: {} }

  it.scopedLive(
    "an answer holding the key that does not decode fails with UndecodedApiKey, key kept redacted",
    () =>
      Effect.gen(function* () {
        const server = yield* testServer(created({ apiKey: { ...apiKey, scopes: "read" }, plainKey: secret }))
        const { apiKeys } = yield* services(server.baseUrl)
        const error = yield* Effect.flip(apiKeys.create({ name: "Production Key", scopes: ["read"] }))
        if (error._tag !== "UndecodedApiKey") return expect.fail(`got ${error._tag}`)
        expect(Redacted.value(error.plainKey)).toBe(secret)
        expect(error.keyId).toBeUndefined()
        expect([error.decodeError.applied, error.decodeError.path]).toEqual([true, ["apiKey", "scopes"]])
        expect(yield* everyRendering(error)).not.toContain(secret)
      })
  )

  it.scopedLive("a key nested in another wrapper is found, with its id", () =>
    Effect.gen(function* () {
      const server = yield* testServer(created({ data: { ...apiKey, plainKey: secret } }))
      const { apiKeys } = yield* services(server.baseUrl)
      const error = yield* Effect.flip(apiKeys.create({ name: "Production Key", scopes: ["read"] }))
      if (error._tag !== "UndecodedApiKey") return expect.fail(`got ${error._tag}`)
      expect([Redacted.value(error.plainKey), error.keyId]).toEqual([secret, "key-1"])
    })
  )

  it.scopedLive("an undecodable answer without a key stays a ResponseDecodeError", () =>
    Effect.gen(function* () {
      const server = yield* testServer(created({ apiKey }))
      const { apiKeys } = yield* services(server.baseUrl)
      const error = yield* Effect.flip(apiKeys.create({ name: "Production Key", scopes: ["read"] }))
      expect(error._tag === "ResponseDecodeError" && error.applied).toBe(true)
    })
  )
})
