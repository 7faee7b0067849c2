import { describe, expect, it } from "@effect/vitest"
import { Effect, TestClock } from "effect"
import { RateLimiter } from "../../src/Http/RateLimiter.js"

describe("RateLimiter", () => {
  it.effect("fixed windows aligned to multiples of their length since the epoch", () =>
    Effect.gen(function* () {
      const limiter = yield* RateLimiter
      yield* TestClock.setTime(1_700_000_030_500)
      const first = yield* limiter.consume("p", 2, 60)
      expect(first).toEqual({ limit: 2, remaining: 1, resetSeconds: 1_700_000_040, exceeded: false })
      expect((yield* limiter.consume("p", 2, 60)).remaining).toBe(0)
      const third = yield* limiter.consume("p", 2, 60)
      expect(third.exceeded).toBe(true)
      expect((yield* limiter.peek("p", 2, 60)).exceeded).toBe(true)
      expect((yield* limiter.consume("other", 2, 60)).remaining).toBe(1)
      yield* TestClock.setTime(1_700_000_040_000)
      const next = yield* limiter.consume("p", 2, 60)
      expect(next).toEqual({ limit: 2, remaining: 1, resetSeconds: 1_700_000_100, exceeded: false })
      expect((yield* limiter.consume("q", 5, 3600)).resetSeconds % 3600).toBe(0)
    }).pipe(Effect.provide(RateLimiter.Default))
  )
})
