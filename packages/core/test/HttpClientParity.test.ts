import type { HttpClient } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Layer, Redacted } from "effect"
import type { ServerResponse } from "node:http"
import { Organizations } from "../src/Organizations.js"
import { PartnerAccount } from "../src/PartnerAccount.js"
import * as PartnerClient from "../src/PartnerClient.js"
import { RetryPolicy } from "../src/RetryPolicy.js"
import * as UndiciHttpClient from "../src/UndiciHttpClient.js"
import { testServer, type Reply } from "./support/TestServer.js"

// Every HTTP client the SDK supports must end each broken answer in the same documented typed error.
const httpClients: ReadonlyArray<readonly [string, Layer.Layer<HttpClient.HttpClient>]> = [
  ["UndiciHttpClient.layer", UndiciHttpClient.layer],
  ["NodeHttpClient.layerUndici", NodeHttpClient.layerUndici]
]

const attemptTimeoutMs = 300

const services = (
  http: Layer.Layer<HttpClient.HttpClient>,
  baseUrl: string,
  options: { readonly attemptTimeoutMs?: number; readonly maxResponseBytes?: number } = {}
) =>
  Effect.map(
    Layer.build(
      Layer.mergeAll(Organizations.Default, PartnerAccount.Default).pipe(
        Layer.provide(
          PartnerClient.layer({
            baseUrl,
            apiKey: Redacted.make("pk_test_parity"),
            retryPolicy: RetryPolicy.make({
              maxRetries: 0,
              attemptTimeoutMs: options.attemptTimeoutMs ?? attemptTimeoutMs
            }),
            maxResponseBytes: options.maxResponseBytes
          })
        ),
        Layer.provide(http)
      )
    ),
    (ctx) => ({ orgs: Context.get(ctx, Organizations), account: Context.get(ctx, PartnerAccount) })
  )

const partial = (res: ServerResponse) => {
  res.writeHead(200, { "content-type": "application/json", "content-length": "100000" })
  res.write('{"partner": {"id": "p-1", "name": "Ac')
}

const by = (raw: (res: ServerResponse) => void) => (): Reply => ({ status: 0, raw })

describe.each(httpClients)("HTTP-client parity: %s", (_name, http) => {
  it.scopedLive("a body that stalls half-way is a Timeout of the attempt", () =>
    Effect.gen(function* () {
      const server = yield* testServer(by(partial))
      const { account } = yield* services(http, server.baseUrl)
      const error = yield* Effect.flip(account.me())
      expect(error._tag === "Timeout" && error.timeoutMs).toBe(attemptTimeoutMs)
    })
  )

  it.scopedLive("a body dripping a byte at a time past the timeout is a Timeout of the attempt", () =>
    Effect.gen(function* () {
      const server = yield* testServer(
        by((res) => {
          partial(res)
          const drip = setInterval(() => res.write(" "), 20)
          res.on("close", () => clearInterval(drip))
        })
      )
      const { account } = yield* services(http, server.baseUrl)
      const error = yield* Effect.flip(account.me())
      expect(error._tag === "Timeout" && error.timeoutMs).toBe(attemptTimeoutMs)
    })
  )

  it.scopedLive(
    "a connection cut in the middle of the body is a NetworkError, outcome unknown for a write",
    () =>
      Effect.gen(function* () {
        const server = yield* testServer(
          by((res) => {
            partial(res)
            setTimeout(() => res.socket?.destroy(), 10)
          })
        )
        const { orgs, account } = yield* services(http, server.baseUrl)
        const read = yield* Effect.flip(account.me())
        expect(read._tag === "NetworkError" && read.outcomeUnknown).toBe(false)
        const write = yield* Effect.flip(orgs.allocateCredits("org-1", { credits: 5 }))
        expect(write._tag === "NetworkError" && write.outcomeUnknown).toBe(true)
      })
  )

  it.scopedLive("invalid JSON in a 200 is a ResponseDecodeError that was applied", () =>
    Effect.gen(function* () {
      const server = yield* testServer(
        by((res) => {
          res.writeHead(200, { "content-type": "application/json" })
          res.end('{"partner": {"id": ')
        })
      )
      const { account } = yield* services(http, server.baseUrl)
      const error = yield* Effect.flip(account.me())
      expect(error._tag === "ResponseDecodeError" && [error.status, error.applied]).toEqual([200, true])
    })
  )

  it.scopedLive("a 200 of the wrong shape is a ResponseDecodeError naming the path", () =>
    Effect.gen(function* () {
      const server = yield* testServer(() => ({ status: 200, body: { partner: { id: 42 } } }))
      const { account } = yield* services(http, server.baseUrl)
      const error = yield* Effect.flip(account.me())
      expect(error._tag === "ResponseDecodeError" && error.path).toEqual(["partner", "id"])
    })
  )

  it.scopedLive("an endless body stops at the default 16 MiB cap with a ResponseDecodeError", () =>
    Effect.gen(function* () {
      let written = 0
      const chunk = Buffer.alloc(64 * 1024, 0x20)
      const server = yield* testServer(
        by((res) => {
          res.writeHead(200, { "content-type": "application/json" })
          const pump = () => {
            while (written < 64 * 1024 * 1024 && res.write(chunk)) written += chunk.length
          }
          res.on("drain", pump)
          res.on("close", () => res.removeListener("drain", pump))
          pump()
        })
      )
      const { account } = yield* services(http, server.baseUrl, { attemptTimeoutMs: 20_000 })
      const error = yield* Effect.flip(account.me())
      if (error._tag !== "ResponseDecodeError") return expect.fail(`got ${error._tag}`)
      expect([error.status, error.applied]).toEqual([200, true])
      expect(error.message).toContain(`larger than ${16 * 1024 * 1024} bytes`)
      // The client stopped reading: the server was not allowed to send its 64 MiB.
      expect(written).toBeLessThan(64 * 1024 * 1024)
    })
  )

  it.scopedLive("a declared length over a configured cap is refused before the body is read", () =>
    Effect.gen(function* () {
      const server = yield* testServer(
        by((res) => {
          res.writeHead(200, { "content-type": "application/json", "content-length": String(1024 * 1024) })
          res.write("{")
        })
      )
      const { account } = yield* services(http, server.baseUrl, { maxResponseBytes: 64 * 1024 })
      const error = yield* Effect.flip(account.me())
      expect(error._tag === "ResponseDecodeError" && error.message).toContain(
        `larger than ${64 * 1024} bytes`
      )
    })
  )
})
