import { HttpClient, HttpClientResponse } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Array, Clock, Deferred, Effect, Fiber, Option, Redacted, Ref, Stream, TestClock } from "effect"
import { classifyFailure } from "../src/RetryPolicy.js"
import type { GovernorState } from "../src/RateLimitGovernor.js"
import * as RateLimitGovernor from "../src/RateLimitGovernor.js"
import * as FakeApi from "./support/FakeApi.js"

const burst = (
  client: { readonly get: (url: string) => Effect.Effect<{ readonly status: number }, unknown> },
  n: number
) => Effect.forEach(Array.range(1, n), () => client.get(FakeApi.url), { concurrency: "unbounded" })

const sentIn = (calls: ReadonlyArray<FakeApi.Call>, window: number) =>
  calls.filter((c) => c.window === window).length

describe("RateLimitGovernor", () => {
  it.effect(
    "1,200 concurrent calls against 1,000/min: 1,000 in the first window, the rest after the reset",
    () =>
      Effect.gen(function* () {
        const { fake, client, run } = yield* FakeApi.setup({ limit: 1000, pipeline: "governor" })
        const responses = yield* run(burst(client, 1200))
        const calls = yield* fake.calls
        const first = fake.windowAt(FakeApi.T0)
        const reset = fake.resetAt(first)

        expect(responses.filter((r) => r.status === 429)).toHaveLength(0)
        expect(calls.filter((c) => c.outcome === 429)).toHaveLength(0)
        expect(calls).toHaveLength(1200)
        expect(sentIn(calls, first)).toBe(1000)
        expect(sentIn(calls, first + 1)).toBe(200)
        const bySendTime = [...calls].sort((a, b) => a.sentAt - b.sentAt)
        expect(bySendTime.slice(0, 1000).every((c) => c.sentAt < reset)).toBe(true)
        const last200 = bySendTime.slice(-200)
        expect(last200.every((c) => c.sentAt >= reset)).toBe(true)
        expect(last200[0]?.sentAt).toBe(reset)
      })
  )

  it.effect("the first request alone learns the window, then the rest go together", () =>
    Effect.gen(function* () {
      const { fake, client, run } = yield* FakeApi.setup({ limit: 10, latencyMs: 100, pipeline: "governor" })
      yield* run(burst(client, 25))
      const calls = yield* fake.calls
      const first = fake.windowAt(FakeApi.T0)

      expect(calls[0]?.sentAt).toBe(FakeApi.T0)
      expect(calls.filter((c) => c.sentAt < FakeApi.T0 + 100)).toHaveLength(1)
      expect(calls.filter((c) => c.outcome === 429)).toHaveLength(0)
      expect([sentIn(calls, first), sentIn(calls, first + 1), sentIn(calls, first + 2)]).toEqual([10, 10, 5])
      // After each reset one probe goes first (at most one round trip late: the Date header cannot say more)
      // and the others wait for its answer.
      for (const window of [first + 1, first + 2]) {
        const inWindow = calls.filter((c) => c.window === window)
        expect(inWindow[0]?.sentAt).toBeGreaterThanOrEqual(fake.resetAt(window - 1))
        expect(inWindow[0]?.sentAt).toBeLessThanOrEqual(fake.resetAt(window - 1) + 100)
        expect(inWindow.slice(1).every((c) => c.sentAt >= (inWindow[0]?.answeredAt ?? Infinity))).toBe(true)
      }
    })
  )

  it.effect("a 429 pauses every waiter until the reset", () =>
    Effect.gen(function* () {
      const { fake, governor, client, run } = yield* FakeApi.setup({
        limit: 100,
        latencyMs: 100,
        pipeline: "governor"
      })
      yield* run(client.get(FakeApi.url))
      // Another process spends the budget the governor believes it still has.
      yield* fake.consume(95)
      const fiber = yield* Effect.fork(burst(client, 150))
      yield* TestClock.adjust(1_000)
      const sentBeforePause = (yield* fake.calls).length - 1
      const paused = yield* governor.state.get
      expect(sentBeforePause).toBeGreaterThan(4)
      expect(paused.paused).toBe(true)
      expect(paused.queued).toBe(150 - sentBeforePause)

      const responses = yield* run(Fiber.join(fiber))
      const calls = yield* fake.calls
      const window = fake.windowAt(FakeApi.T0)
      const reset = fake.resetAt(window)
      const rejected = calls.filter((c) => c.outcome === 429)
      const firstRejection = Math.min(...rejected.map((c) => c.answeredAt ?? Infinity))

      // Only what was already on its way when the 429 came back is rejected: 4 of them still fit.
      expect(responses.filter((r) => r.status === 429)).toHaveLength(sentBeforePause - 4)
      expect(rejected).toHaveLength(sentBeforePause - 4)
      expect(firstRejection).toBeLessThan(reset)
      expect(calls.filter((c) => c.sentAt >= firstRejection && c.sentAt < reset)).toHaveLength(0)
      const afterReset = calls.filter((c) => c.sentAt >= reset)
      expect(afterReset).toHaveLength(150 - sentBeforePause)
      expect(afterReset.every((c) => c.outcome === 200)).toBe(true)
      expect(afterReset[0]?.window).toBe(window + 1)
      expect(afterReset[0]?.sentAt).toBeLessThanOrEqual(reset + 100)
      expect(afterReset.slice(1).every((c) => c.sentAt >= (afterReset[0]?.answeredAt ?? Infinity))).toBe(true)
    })
  )

  it.effect.each([30_000, -30_000, 30_400, -30_400])(
    "a server clock %i ms off the client's causes no 429 over several windows",
    (skewMs) =>
      Effect.gen(function* () {
        const { fake, client, run } = yield* FakeApi.setup({ limit: 100, skewMs, pipeline: "governor" })
        const responses = yield* run(burst(client, 350))
        const calls = yield* fake.calls
        const first = fake.windowAt(FakeApi.T0)

        expect(responses.filter((r) => r.status === 429)).toHaveLength(0)
        expect(calls.filter((c) => c.outcome === 429)).toHaveLength(0)
        expect([0, 1, 2, 3, 4].map((i) => sentIn(calls, first + i))).toEqual([100, 100, 100, 50, 0])
        // Waits are bounded by the Date header's one-second resolution: never early, under a second late.
        for (const i of [1, 2, 3]) {
          const opened = Math.min(...calls.filter((c) => c.window === first + i).map((c) => c.sentAt))
          expect(opened).toBeGreaterThanOrEqual(fake.resetAt(first + i - 1))
          expect(opened).toBeLessThan(fake.resetAt(first + i - 1) + 1000)
        }
      })
  )

  it.effect("two processes sharing a key get few 429s and still use the budget", () =>
    Effect.gen(function* () {
      const { fake, client, run } = yield* FakeApi.setup({ limit: 100, latencyMs: 100, pipeline: "governor" })
      const other = RateLimitGovernor.transformClient(yield* RateLimitGovernor.make)(fake.client)
      const responses = yield* run(
        Effect.all([burst(client, 150), burst(other, 150)], { concurrency: "unbounded" })
      )
      const calls = yield* fake.calls
      const first = fake.windowAt(FakeApi.T0)

      const rejected = calls.filter((c) => c.outcome === 429).length
      const accepted = (window: number) =>
        calls.filter((c) => c.window === window && c.outcome === 200).length
      expect(responses.flat().filter((r) => r.status === 429)).toHaveLength(rejected)
      expect(rejected).toBeLessThanOrEqual(3)
      // Both keep the shared budget full: 300 calls, 100 a window, whatever was rejected done last.
      expect([0, 1, 2].map((i) => accepted(first + i))).toEqual([100, 100, 100 - rejected])
    })
  )

  it.scoped("its state shows remaining going down and paused while waiting", () =>
    Effect.gen(function* () {
      const { governor, client, run } = yield* FakeApi.setup({ limit: 5, pipeline: "governor" })
      const seen = yield* Ref.make<ReadonlyArray<GovernorState>>([])
      const subscribed = yield* Deferred.make<void>()
      yield* governor.state.changes.pipe(
        Stream.runForEach((state) =>
          Effect.zipRight(
            Ref.update(seen, (states) => [...states, state]),
            Deferred.succeed(subscribed, undefined)
          )
        ),
        Effect.forkScoped
      )
      yield* Deferred.await(subscribed)

      yield* run(Effect.forEach(Array.range(1, 5), () => client.get(FakeApi.url)))
      yield* run(burst(client, 3))
      const states = yield* Ref.get(seen)

      const remaining = Array.dedupeAdjacent(states.flatMap((s) => Option.toArray(s.remaining)))
      expect(remaining).toEqual([4, 3, 2, 1, 0, 4, 3, 2])
      expect(states.some((s) => s.paused && s.queued === 3 && Option.contains(s.remaining, 0))).toBe(true)
      expect(states.at(-1)).toMatchObject({ paused: false, queued: 0, inFlight: 0 })
      expect(Option.map(yield* governor.snapshot, (s) => s.remaining)).toEqual(Option.some(2))
    })
  )

  it.scoped(
    "a subscriber joining later starts from the current state; every subscriber sees every change",
    () =>
      Effect.gen(function* () {
        const { governor, client, run } = yield* FakeApi.setup({ limit: 5, pipeline: "governor" })
        // Changes before anyone subscribes are not recorded anywhere, but the state still follows them.
        yield* run(Effect.forEach(Array.range(1, 2), () => client.get(FakeApi.url)))
        expect(Option.getOrUndefined((yield* governor.state.get).remaining)).toBe(3)

        const follow = Effect.gen(function* () {
          const seen = yield* Ref.make<ReadonlyArray<number>>([])
          const first = yield* Deferred.make<void>()
          yield* governor.state.changes.pipe(
            Stream.runForEach((state) =>
              Effect.zipRight(
                Ref.update(seen, (all) => [...all, ...Option.toArray(state.remaining)]),
                Deferred.succeed(first, undefined)
              )
            ),
            Effect.forkScoped
          )
          yield* Deferred.await(first)
          return seen
        })
        const early = yield* follow
        expect(yield* Ref.get(early)).toEqual([3])
        yield* run(client.get(FakeApi.url))
        const late = yield* follow
        expect(yield* Ref.get(late)).toEqual([2])
        yield* run(client.get(FakeApi.url))
        yield* Effect.yieldNow()

        expect(Array.dedupeAdjacent(yield* Ref.get(early))).toEqual([3, 2, 1])
        expect(Array.dedupeAdjacent(yield* Ref.get(late))).toEqual([2, 1])
      })
  )

  it.effect("a registry shares one governor per base URL and key, and only within its layer", () =>
    Effect.gen(function* () {
      const key = Redacted.make("key-a")
      const first = yield* RateLimitGovernor.Governors.pipe(
        Effect.flatMap((governors) =>
          Effect.all([
            governors.forTarget("http://a.test/api/v1", key),
            governors.forTarget("http://a.test/api/v1/", Redacted.make("key-a")),
            governors.forTarget("http://a.test/api/v1", Redacted.make("key-b")),
            governors.forTarget("http://b.test/api/v1", key)
          ])
        ),
        Effect.provide(RateLimitGovernor.layerRegistry())
      )
      const [a, again, otherKey, otherUrl] = first
      expect(again).toBe(a)
      expect(otherKey).not.toBe(a)
      expect(otherUrl).not.toBe(a)
      const fresh = yield* Effect.flatMap(RateLimitGovernor.Governors, (g) =>
        g.forTarget("http://a.test/api/v1", key)
      ).pipe(Effect.provide(RateLimitGovernor.layerRegistry()))
      expect(fresh).not.toBe(a)
    })
  )

  it.effect(
    "a wait beyond the configured bound fails fast for a bounded time, then one probe asks again",
    () =>
      Effect.gen(function* () {
        yield* TestClock.setTime(FakeApi.T0)
        const sent: Array<number> = []
        const client = HttpClient.make((request) =>
          Effect.map(Clock.currentTimeMillis, (now) => {
            sent.push(now)
            return HttpClientResponse.fromWeb(
              request,
              new Response("{}", { status: 429, headers: { "retry-after": "30" } })
            )
          })
        )
        const governor = yield* RateLimitGovernor.makeWith({ maxWaitMs: 10_000 })
        const governed = RateLimitGovernor.transformClient(governor)(client)
        expect((yield* governed.get(FakeApi.url)).status).toBe(429)
        const refused = yield* Effect.flip(governed.get(FakeApi.url))
        expect(classifyFailure(refused)).toEqual({
          kind: "rateLimited",
          retryAt: FakeApi.T0 + 30_000,
          waitMs: 30_000
        })
        expect(yield* governor.retryAt).toEqual(Option.some(FakeApi.T0 + 30_000))
        expect(sent).toEqual([FakeApi.T0])
        // After the bound (not the 30 s asked for) one request goes to ask again.
        yield* TestClock.adjust(10_000)
        yield* governed.get(FakeApi.url)
        expect(sent).toEqual([FakeApi.T0, FakeApi.T0 + 10_000])
      })
  )
})
