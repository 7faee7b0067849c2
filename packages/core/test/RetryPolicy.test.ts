import { HttpClient, HttpClientError, HttpClientRequest, HttpClientResponse } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Array, Duration, Effect, Either, TestClock } from "effect"
import {
  AttemptTimeout,
  backoffCeiling,
  classifyFailure,
  jitteredBackoff,
  RetryPolicy,
  transformClient
} from "../src/RetryPolicy.js"
import * as FakeApi from "./support/FakeApi.js"

const request = (method: "GET" | "PUT" | "DELETE" | "POST") =>
  method === "POST" || method === "PUT"
    ? HttpClientRequest.make(method)(FakeApi.url).pipe(HttpClientRequest.bodyUnsafeJson({ name: "Acme" }))
    : HttpClientRequest.make(method)(FakeApi.url)

const outcomes = (calls: ReadonlyArray<FakeApi.Call>) => calls.map((c) => c.outcome)

const expectFailure = <A>(result: Either.Either<A, HttpClientError.HttpClientError>) => {
  if (Either.isRight(result)) throw new Error("expected the request to fail")
  return result.left
}

describe("RetryPolicy", () => {
  it.effect.each(["GET", "PUT", "DELETE"] as const)("%s is retried after a 503 and then succeeds", (method) =>
    Effect.gen(function* () {
      const { fake, client, run } = yield* FakeApi.setup()
      yield* fake.script(503)
      const response = yield* run(client.execute(request(method)))
      expect(response.status).toBe(200)
      expect(outcomes(yield* fake.calls)).toEqual([503, 200])
    })
  )

  it.effect("POST is not retried after a 503: the 503 is returned", () =>
    Effect.gen(function* () {
      const { fake, client, run } = yield* FakeApi.setup()
      yield* fake.script(503)
      const response = yield* run(client.execute(request("POST")))
      expect(response.status).toBe(503)
      expect(outcomes(yield* fake.calls)).toEqual([503])
    })
  )

  it.effect("POST is not retried after a connection reset once sent", () =>
    Effect.gen(function* () {
      const { fake, client, run } = yield* FakeApi.setup()
      yield* fake.script("reset")
      const error = expectFailure(yield* run(Effect.either(client.execute(request("POST")))))
      expect(classifyFailure(error)).toEqual({ kind: "network" })
      expect(outcomes(yield* fake.calls)).toEqual(["reset"])
    })
  )

  it.effect("POST is retried after a refused connection", () =>
    Effect.gen(function* () {
      const { fake, client, run } = yield* FakeApi.setup()
      yield* fake.script("refused")
      const response = yield* run(client.execute(request("POST")))
      expect(response.status).toBe(200)
      expect(outcomes(yield* fake.calls)).toEqual(["refused", 200])
    })
  )

  it.effect.each(["GET", "POST"] as const)(
    "%s after a 429 is retried at the reset, not after a backoff",
    (method) =>
      Effect.gen(function* () {
        const { fake, client, run } = yield* FakeApi.setup({ limit: 10 })
        yield* run(client.execute(request("GET")))
        yield* fake.consume(9)
        yield* TestClock.adjust(5_000)
        const response = yield* run(client.execute(request(method)))
        const calls = yield* fake.calls
        const reset = fake.resetAt(fake.windowAt(FakeApi.T0))

        expect(response.status).toBe(200)
        expect(outcomes(calls)).toEqual([200, 429, 200])
        expect(calls[1]?.sentAt).toBe(FakeApi.T0 + 5_000)
        expect(calls[2]?.sentAt).toBe(reset)
        expect(calls[2]?.method).toBe(method)
      })
  )

  it.effect(
    "backoff delays stay within [0, min(cap, base * 2^n)] and exhausted retries return the last 503",
    () =>
      Effect.gen(function* () {
        const retryPolicy = RetryPolicy.make({ baseDelayMs: 200, maxDelayMs: 1_000, maxRetries: 5 })
        const { fake, client, run } = yield* FakeApi.setup({ retryPolicy })
        yield* fake.script(503, 503, 503, 503, 503, 503, 200)
        const response = yield* run(client.execute(request("GET")))
        const calls = yield* fake.calls

        expect(response.status).toBe(503)
        expect(response.headers["x-fake-call"]).toBe("6")
        expect(calls).toHaveLength(6)
        const delays = calls.slice(1).map((c, i) => c.sentAt - (calls[i]?.sentAt ?? Infinity))
        expect(delays).toHaveLength(5)
        delays.forEach((delay, n) => {
          expect(delay).toBeGreaterThanOrEqual(0)
          expect(delay).toBeLessThanOrEqual(Math.min(1_000, 200 * 2 ** n))
        })
      })
  )

  it.effect("jitteredBackoff is full jitter under the capped exponential ceiling", () =>
    Effect.gen(function* () {
      const policy = RetryPolicy.make({ baseDelayMs: 200, maxDelayMs: 10_000 })
      expect(Array.range(0, 7).map((n) => backoffCeiling(policy, n))).toEqual([
        200, 400, 800, 1_600, 3_200, 6_400, 10_000, 10_000
      ])
      for (const n of Array.range(0, 7)) {
        const ceiling = backoffCeiling(policy, n)
        const samples = yield* Effect.forEach(Array.range(1, 400), () =>
          Effect.map(jitteredBackoff(policy, n), Duration.toMillis)
        )
        expect(samples.every((ms) => ms >= 0 && ms <= ceiling && Number.isInteger(ms))).toBe(true)
        expect(Math.min(...samples)).toBeLessThan(ceiling / 4)
        expect(Math.max(...samples)).toBeGreaterThan((ceiling * 3) / 4)
      }
    })
  )

  it.effect("an attempt that gets no answer times out, is classified as a timeout and retried for GET", () =>
    Effect.gen(function* () {
      const retryPolicy = RetryPolicy.make({ attemptTimeoutMs: 1_000, maxRetries: 1 })
      const { fake, client, run } = yield* FakeApi.setup({ retryPolicy })
      yield* fake.script("hang", "hang")
      const error = expectFailure(yield* run(Effect.either(client.execute(request("GET")))))
      const calls = yield* fake.calls

      expect(error._tag).toBe("RequestError")
      expect(error.reason).toBe("Transport")
      expect(classifyFailure(error)).toEqual({ kind: "timeout", timeoutMs: 1_000 })
      expect(outcomes(calls)).toEqual(["hang", "hang"])
      expect((calls[1]?.sentAt ?? 0) - (calls[0]?.sentAt ?? 0)).toBeGreaterThanOrEqual(1_000)
    })
  )

  it.effect("POST is not retried after a timeout", () =>
    Effect.gen(function* () {
      const retryPolicy = RetryPolicy.make({ attemptTimeoutMs: 1_000 })
      const { fake, client, run } = yield* FakeApi.setup({ retryPolicy })
      yield* fake.script("hang")
      const error = expectFailure(yield* run(Effect.either(client.execute(request("POST")))))
      expect(classifyFailure(error)).toEqual({ kind: "timeout", timeoutMs: 1_000 })
      expect(outcomes(yield* fake.calls)).toEqual(["hang"])
    })
  )

  it("classifyFailure finds a refusal nested in the cause and tells other failures apart", () => {
    const req = HttpClientRequest.get(FakeApi.url)
    const transport = (cause: unknown) =>
      new HttpClientError.RequestError({ request: req, reason: "Transport", cause })
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:4100"), { code: "ECONNREFUSED" })
    const fetchFailed = new TypeError("fetch failed", {
      cause: new AggregateError([refused], "connect failed")
    })

    expect(classifyFailure(transport(fetchFailed))).toEqual({ kind: "refused" })
    expect(classifyFailure(transport(Object.assign(new Error("reset"), { code: "ECONNRESET" })))).toEqual({
      kind: "network"
    })
    expect(classifyFailure(transport(new AttemptTimeout({ timeoutMs: 5 })))).toEqual({
      kind: "timeout",
      timeoutMs: 5
    })
    expect(
      classifyFailure(new HttpClientError.RequestError({ request: req, reason: "Encode", cause: refused }))
    ).toEqual({ kind: "other" })
  })

  it.effect.each([
    ["2", [429, 200]],
    ["999999", [429]]
  ] as const)(
    "standalone, a 429 with Retry-After %s s is waited for only within two minutes",
    ([after, expected]) =>
      Effect.gen(function* () {
        const statuses: Array<number> = []
        const client = HttpClient.make((req) =>
          Effect.sync(() => {
            const status = statuses.length === 0 ? 429 : 200
            statuses.push(status)
            return HttpClientResponse.fromWeb(
              req,
              new Response(null, { status, headers: { "retry-after": after } })
            )
          })
        ).pipe(transformClient(RetryPolicy.default))
        const response = yield* FakeApi.runVirtual(client.execute(request("GET")))
        expect(statuses).toEqual(expected)
        expect(response.status).toBe(expected.at(-1))
      })
  )
})
