import { HttpClient, HttpClientError, HttpClientRequest } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Fiber, Option, Stream } from "effect"
import type { ServerResponse } from "node:http"
import { AttemptTimeout, classifyFailure, withAttemptTimeout } from "../src/RetryPolicy.js"
import * as UndiciHttpClient from "../src/UndiciHttpClient.js"
import { capture } from "./support/Capture.js"
import { testServer, type Reply } from "./support/TestServer.js"

// A client on an agent of the test's own, closed with the test's scope.
const client = Effect.map(NodeHttpClient.makeDispatcher, UndiciHttpClient.make)

// Headers and the first bytes of a body promised to be longer.
const startBody = (res: ServerResponse) => {
  res.writeHead(200, { "content-type": "application/json", "content-length": "1000" })
  res.write('{"organizations": [')
}

const waitUntil = (condition: () => boolean) => Effect.repeat(Effect.sleep("5 millis"), { until: condition })

describe("UndiciHttpClient", () => {
  it.scopedLive("sends the method, URL parameters, headers and body", () =>
    Effect.gen(function* () {
      const server = yield* testServer((): Reply => ({ status: 0, raw: (res) => res.end("{}") }))
      const http = yield* client
      const request = HttpClientRequest.post(`${server.baseUrl}/things`).pipe(
        HttpClientRequest.setUrlParams({ page: "2", q: "a b" }),
        HttpClientRequest.setHeader("x-custom", "yes"),
        HttpClientRequest.bodyUnsafeJson({ name: "Acme" })
      )
      const response = yield* http.execute(request)
      expect(response.status).toBe(200)
      const [seen] = server.requests
      expect(seen?.method).toBe("POST")
      expect(seen?.url).toBe("/api/v1/things?page=2&q=a+b")
      expect(seen?.headers["x-custom"]).toBe("yes")
      expect(seen?.headers["content-type"]).toBe("application/json")
      expect(JSON.parse(seen?.body ?? "")).toEqual({ name: "Acme" })
    })
  )

  it.scopedLive("reads each answer whole: the body reads again as text, JSON, bytes and a stream", () =>
    Effect.gen(function* () {
      const server = yield* testServer((): Reply => ({
        status: 0,
        raw: (res) => {
          res.writeHead(201, {
            "content-type": "application/json",
            "x-ratelimit-remaining": "41",
            "set-cookie": ["a=1; Path=/", "b=2"]
          })
          res.end(JSON.stringify({ ok: "é" }))
        }
      }))
      const response = yield* (yield* client).get(`${server.baseUrl}/`)
      expect(response.status).toBe(201)
      expect(response.headers["x-ratelimit-remaining"]).toBe("41")
      expect(Object.keys(response.cookies.cookies).sort()).toEqual(["a", "b"])
      expect(yield* response.text).toBe('{"ok":"é"}')
      expect(yield* response.json).toEqual({ ok: "é" })
      expect(new TextDecoder().decode(yield* response.arrayBuffer)).toBe('{"ok":"é"}')
      const streamed = yield* Stream.runCollect(response.stream)
      expect(Buffer.concat(Chunk.toArray(streamed)).toString("utf8")).toBe('{"ok":"é"}')
      expect(yield* response.text).toBe('{"ok":"é"}')
    })
  )

  it.scopedLive("a refused connection is a Transport RequestError classified as refused", () =>
    Effect.gen(function* () {
      const server = yield* testServer((): Reply => ({ status: 0, raw: (res) => res.end() }))
      server.server.close()
      const error = yield* Effect.flip((yield* client).get(`${server.baseUrl}/`))
      expect(error._tag).toBe("RequestError")
      expect(error._tag === "RequestError" && error.reason).toBe("Transport")
      expect(classifyFailure(error)).toEqual({ kind: "refused" })
    })
  )

  it.scopedLive("a connection cut in the middle of the body is a Transport RequestError", () =>
    Effect.gen(function* () {
      const server = yield* testServer((): Reply => ({
        status: 0,
        raw: (res) => {
          startBody(res)
          setTimeout(() => res.socket?.destroy(), 10)
        }
      }))
      const error = yield* Effect.flip((yield* client).get(`${server.baseUrl}/`))
      expect(error._tag).toBe("RequestError")
      expect(classifyFailure(error)).toEqual({ kind: "network" })
    })
  )

  it.scopedLive(
    "the attempt timeout covers the body: a stalled body times out and the connection is closed",
    () =>
      Effect.gen(function* () {
        const server = yield* testServer((): Reply => ({
          status: 0,
          raw: startBody
        }))
        const bounded = (yield* client).pipe(withAttemptTimeout(100))
        const error = yield* Effect.flip(bounded.get(`${server.baseUrl}/`))
        expect(error._tag === "RequestError" && error.cause).toBeInstanceOf(AttemptTimeout)
        expect(classifyFailure(error as HttpClientError.HttpClientError)).toEqual({
          kind: "timeout",
          timeoutMs: 100
        })
        yield* waitUntil(() => server.closed() >= 1)
      })
  )

  it.scopedLive("answers within the timeout leave no timer behind", () =>
    Effect.gen(function* () {
      const server = yield* testServer((): Reply => ({ status: 0, raw: (res) => res.end("{}") }))
      const bounded = (yield* client).pipe(withAttemptTimeout(60_000))
      const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length
      const before = timers()
      yield* Effect.forEach(Array.from({ length: 20 }), () => bounded.get(`${server.baseUrl}/`), {
        concurrency: 5
      })
      // A live 60-second timer per request would show here (and keep the process alive for a minute).
      expect(timers()).toBeLessThanOrEqual(before)
    })
  )

  it.scopedLive("interrupting a request aborts it: the server sees the connection close", () =>
    Effect.gen(function* () {
      const server = yield* testServer((): Reply => ({ status: 0, hang: true }))
      const fiber = yield* Effect.fork((yield* client).get(`${server.baseUrl}/`))
      yield* waitUntil(() => server.requests.length === 1)
      yield* Fiber.interrupt(fiber)
      yield* waitUntil(() => server.closed() >= 1)
    })
  )

  it.scopedLive("records the method, URL and status on the caller's span, never a header", () =>
    Effect.gen(function* () {
      const { captured, layer } = capture()
      const server = yield* testServer((): Reply => ({
        status: 0,
        raw: (res) => {
          res.writeHead(404)
          res.end()
        }
      }))
      const http = yield* client
      yield* http
        .get(`${server.baseUrl}/partner/me?x=1`, { headers: { "x-partner-api-key": "pk_test_NeverShown" } })
        .pipe(Effect.withSpan("caller"), Effect.provide(layer))
      const span = captured.spans.find((s) => s.name === "caller")
      expect(Option.fromNullable(span).pipe(Option.map((s) => Object.fromEntries(s.attributes)))).toEqual(
        Option.some({
          "http.request.method": "GET",
          "url.full": `${server.baseUrl}/partner/me?x=1`,
          "http.response.status_code": 404
        })
      )
      expect(captured.text()).not.toContain("pk_test_NeverShown")
      expect(server.requests[0]?.headers["x-partner-api-key"]).toBe("pk_test_NeverShown")
    })
  )

  it.scopedLive("its layer provides an HttpClient on its own connection pool", () =>
    Effect.gen(function* () {
      const server = yield* testServer((): Reply => ({ status: 0, raw: (res) => res.end("pong") }))
      const text = yield* HttpClient.get(`${server.baseUrl}/`).pipe(
        Effect.flatMap((r) => r.text),
        Effect.provide(UndiciHttpClient.layer)
      )
      expect(text).toBe("pong")
    })
  )
})
