import { HttpClient, HttpClientError, HttpClientResponse } from "@effect/platform"
import type { HttpClientRequest } from "@effect/platform"
import { Chunk, Clock, Effect, Fiber, Option, TestClock } from "effect"
import { makeTransport } from "../../src/internal/transport.js"
import * as RateLimitGovernor from "../../src/RateLimitGovernor.js"
import type { RetryPolicy } from "../../src/RetryPolicy.js"

/**
 * What the server does with the next call that passes its rate limit: answer a status, reset the connection
 * after processing, or never answer. `refused` happens before the request reaches the server.
 */
export type Step = number | "refused" | "reset" | "hang"

export interface Call {
  readonly n: number
  readonly method: string
  readonly url: string
  /** Client time the request left. */
  readonly sentAt: number
  /** Server window (index of `windowMs` periods of server time) the request landed in. */
  readonly window: number
  readonly outcome: number | "refused" | "reset" | "hang"
  /** Client time the answer (or failure) came back. */
  readonly answeredAt: number | undefined
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

export interface FakeApiOptions {
  readonly limit?: number
  readonly windowMs?: number
  /** Server clock minus client clock. */
  readonly skewMs?: number
  /** Round trip; half on the way in, half on the way out. */
  readonly latencyMs?: number
}

export interface FakeApi {
  readonly client: HttpClient.HttpClient
  /** Every call made so far, in sending order. */
  readonly calls: Effect.Effect<ReadonlyArray<Call>>
  /** Queues what the server does with the next calls it processes; unscripted calls answer 200. */
  readonly script: (...steps: ReadonlyArray<Step>) => Effect.Effect<void>
  /** Another process spends `n` requests of the current window. */
  readonly consume: (n: number) => Effect.Effect<void>
  /** The server window at a client time. */
  readonly windowAt: (clientMs: number) => number
  /** The client time a server window ends. */
  readonly resetAt: (window: number) => number
}

const refused = () =>
  Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:4100"), { code: "ECONNREFUSED" })
const reset = () => Object.assign(new Error("socket hang up"), { code: "ECONNRESET" })

/** A scripted partner API enforcing a fixed-window budget on the (test) clock, as the README describes it. */
export const make = (options: FakeApiOptions = {}): Effect.Effect<FakeApi> =>
  Effect.sync(() => {
    const limit = options.limit ?? 1000
    const windowMs = options.windowMs ?? 60_000
    const skewMs = options.skewMs ?? 0
    const latencyMs = options.latencyMs ?? 0
    const calls: Array<Mutable<Call>> = []
    const steps: Array<Step> = []
    const used = new Map<number, number>()

    const windowAt = (clientMs: number) => Math.floor((clientMs + skewMs) / windowMs)
    const resetAt = (window: number) => (window + 1) * windowMs - skewMs
    const halfTrip = latencyMs > 0 ? Effect.sleep(latencyMs / 2) : Effect.void
    const transport = (request: HttpClientRequest.HttpClientRequest, cause: Error) =>
      new HttpClientError.RequestError({ request, reason: "Transport", cause })

    const answer = (
      request: HttpClientRequest.HttpClientRequest,
      call: Call,
      status: number,
      serverMs: number
    ) => {
      const windowEnd = (call.window + 1) * windowMs
      const resetSeconds = Math.ceil(windowEnd / 1000)
      const headers: Record<string, string> = {
        "content-type": "application/json",
        date: new Date(Math.floor(serverMs / 1000) * 1000).toUTCString(),
        "x-ratelimit-limit": String(limit),
        "x-ratelimit-remaining": String(Math.max(0, limit - (used.get(call.window) ?? 0))),
        "x-ratelimit-reset": String(resetSeconds),
        "x-fake-call": String(call.n)
      }
      let body: unknown = { ok: true }
      if (status === 429) {
        headers["retry-after"] = String(Math.max(1, Math.ceil((windowEnd - serverMs) / 1000)))
        body = {
          code: "TooManyRequests",
          message: "Rate limit exceeded",
          details: { limit, resetAt: new Date(resetSeconds * 1000).toISOString() }
        }
      } else if (status >= 400) {
        body = {
          code: status >= 500 ? "InternalError" : "BadRequest",
          message: `status ${status}`,
          details: {}
        }
      }
      return HttpClientResponse.fromWeb(
        request,
        new Response(status === 204 ? null : JSON.stringify(body), { status, headers })
      )
    }

    const client = HttpClient.make((request) =>
      Effect.gen(function* () {
        const sentAt = yield* Clock.currentTimeMillis
        const call: Mutable<Call> = {
          n: calls.length + 1,
          method: request.method,
          url: request.url,
          sentAt,
          window: windowAt(sentAt),
          outcome: "refused",
          answeredAt: undefined
        }
        calls.push(call)
        if (steps[0] === "refused") {
          steps.shift()
          call.answeredAt = sentAt
          return yield* Effect.fail(transport(request, refused()))
        }
        yield* halfTrip
        const serverMs = (yield* Clock.currentTimeMillis) + skewMs
        call.window = Math.floor(serverMs / windowMs)
        const spent = used.get(call.window) ?? 0
        const step: Step = spent >= limit ? 429 : (steps.shift() ?? 200)
        if (spent < limit) used.set(call.window, spent + 1)
        call.outcome = step
        if (step === "hang") return yield* Effect.never
        const response = typeof step === "number" ? answer(request, call, step, serverMs) : undefined
        yield* halfTrip
        call.answeredAt = yield* Clock.currentTimeMillis
        if (response === undefined) return yield* Effect.fail(transport(request, reset()))
        return response
      })
    )

    return {
      client,
      calls: Effect.sync(() => [...calls]),
      script: (...next) => Effect.sync(() => void steps.push(...next)),
      consume: (n) =>
        Effect.map(Clock.currentTimeMillis, (now) => {
          const window = windowAt(now)
          used.set(window, Math.min(limit, (used.get(window) ?? 0) + n))
        }),
      windowAt,
      resetAt
    } satisfies FakeApi
  })

const progress = (fake: FakeApi | undefined) =>
  Effect.gen(function* () {
    const calls = fake === undefined ? 0 : (yield* fake.calls).length
    return `${calls}:${Chunk.size(yield* TestClock.sleeps())}`
  })

/** Lets every fiber run until it blocks: repeats while calls or timers keep appearing. */
const settle = (fake: FakeApi | undefined) =>
  Effect.gen(function* () {
    let previous = yield* progress(fake)
    for (let i = 0; i < 50; i++) {
      yield* TestClock.adjust(0)
      const marker = yield* progress(fake)
      if (marker === previous) return
      previous = marker
    }
  })

/**
 * Runs an effect on the TestClock, jumping the clock to each pending timer in turn until the effect is done,
 * so every timestamp it observes is exact.
 */
export const runVirtual = <A, E, R>(
  effect: Effect.Effect<A, E, R>,
  options: { readonly fake?: FakeApi } = {}
): Effect.Effect<A, E, R> =>
  Effect.gen(function* () {
    const fiber = yield* Effect.fork(effect)
    yield* TestClock.adjust(0)
    for (;;) {
      yield* settle(options.fake)
      if (Option.isSome(yield* Fiber.poll(fiber))) break
      const now = yield* Clock.currentTimeMillis
      const next = Chunk.reduce(yield* TestClock.sleeps(), Infinity, (min, at) =>
        at > now && at < min ? at : min
      )
      if (next === Infinity) {
        return yield* Effect.dieMessage(`runVirtual: stuck at ${now} with nothing scheduled`)
      }
      yield* TestClock.setTime(next)
    }
    return yield* Fiber.join(fiber)
  })

/** A whole-minute client start time, so server windows of a fake without skew begin at it. */
export const T0 = 1_700_000_040_000

export interface SetupOptions extends FakeApiOptions {
  /** `governor`: only the rate-limit governor; `transport` (default): governor, retries and timeout. */
  readonly pipeline?: "governor" | "transport"
  readonly retryPolicy?: RetryPolicy
}

/** Sets the clock to `T0` and puts a fresh governor (and by default the whole transport) in front of a fake. */
export const setup = (options: SetupOptions = {}) =>
  Effect.gen(function* () {
    yield* TestClock.setTime(T0)
    const fake = yield* make(options)
    const governor = yield* RateLimitGovernor.make
    const client =
      options.pipeline === "governor"
        ? RateLimitGovernor.transformClient(governor)(fake.client)
        : makeTransport(
            options.retryPolicy === undefined ? { governor } : { governor, retryPolicy: options.retryPolicy }
          )(fake.client)
    const run = <A, E, R>(effect: Effect.Effect<A, E, R>) => runVirtual(effect, { fake })
    return { fake, governor, client, run }
  })

/** The URL every test request goes to. */
export const url = "http://api.test/api/v1/partner/organizations"
