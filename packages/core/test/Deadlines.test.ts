import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Either, Exit, Fiber, FiberRef, TestClock } from "effect"
import { makeDeadlines } from "../src/internal/deadlines.js"

class TimedOut {
  readonly _tag = "TimedOut"
}

// Timers Node keeps for this process (a pending timer keeps a CLI from exiting).
const nodeTimers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length

describe("makeDeadlines", () => {
  it.effect("interrupts an effect that is still running at its deadline and fails with onTimeout", () =>
    Effect.gen(function* () {
      const timeout = makeDeadlines(1_000)
      const interrupted = yield* Deferred.make<void>()
      const hung = Effect.never.pipe(Effect.onInterrupt(() => Deferred.succeed(interrupted, undefined)))
      const fiber = yield* Effect.fork(Effect.either(timeout(hung, () => new TimedOut())))
      yield* TestClock.adjust(999)
      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust(1)
      expect(yield* Fiber.join(fiber)).toEqual(Either.left(new TimedOut()))
      expect(yield* Deferred.isDone(interrupted)).toBe(true)
    })
  )

  it.effect("returns what finishes in time, with its fiber refs, or its own failure", () =>
    Effect.gen(function* () {
      const timeout = makeDeadlines(1_000)
      const ref = FiberRef.unsafeMake(0)
      const fiber = yield* Effect.fork(
        Effect.zipRight(
          timeout(
            Effect.as(Effect.zipRight(Effect.sleep(500), FiberRef.set(ref, 7)), "done"),
            () => new TimedOut()
          ),
          FiberRef.get(ref)
        ).pipe(Effect.zip(Effect.succeed("ok")))
      )
      yield* TestClock.adjust(500)
      expect(yield* Fiber.join(fiber)).toEqual([7, "ok"])
      const failed = yield* Effect.either(timeout(Effect.fail("boom"), () => new TimedOut()))
      expect(failed).toEqual(Either.left("boom"))
    })
  )

  it.effect("effects started at different times each time out at their own deadline", () =>
    Effect.gen(function* () {
      const timeout = makeDeadlines(1_000)
      const first = yield* Effect.fork(Effect.either(timeout(Effect.never, () => new TimedOut())))
      yield* TestClock.adjust(400)
      const second = yield* Effect.fork(Effect.either(timeout(Effect.never, () => new TimedOut())))
      const quick = yield* Effect.fork(timeout(Effect.as(Effect.sleep(100), "quick"), () => new TimedOut()))
      yield* TestClock.adjust(100)
      expect(yield* Fiber.join(quick)).toBe("quick")
      yield* TestClock.adjust(500)
      expect(yield* Fiber.join(first)).toEqual(Either.left(new TimedOut()))
      expect(second.unsafePoll()).toBeNull()
      yield* TestClock.adjust(399)
      expect(second.unsafePoll()).toBeNull()
      yield* TestClock.adjust(1)
      expect(yield* Fiber.join(second)).toEqual(Either.left(new TimedOut()))
    })
  )

  it.effect("interrupting the caller interrupts the effect", () =>
    Effect.gen(function* () {
      const timeout = makeDeadlines(1_000)
      const interrupted = yield* Deferred.make<void>()
      const hung = Effect.never.pipe(Effect.onInterrupt(() => Deferred.succeed(interrupted, undefined)))
      const fiber = yield* Effect.fork(timeout(hung, () => new TimedOut()))
      yield* TestClock.adjust(10)
      const exit = yield* Fiber.interrupt(fiber)
      expect(Exit.isInterrupted(exit)).toBe(true)
      expect(yield* Deferred.isDone(interrupted)).toBe(true)
    })
  )

  it.live("no timer outlives the work, on the real clock", () =>
    Effect.gen(function* () {
      const timeout = makeDeadlines(60_000)
      const before = nodeTimers()
      const results = yield* Effect.all(
        [1, 2, 3].map((n) => timeout(Effect.as(Effect.sleep(n), n), () => new TimedOut())),
        { concurrency: "unbounded" }
      )
      expect(results).toEqual([1, 2, 3])
      expect(yield* Effect.either(timeout(Effect.fail("boom"), () => new TimedOut()))).toEqual(
        Either.left("boom")
      )
      yield* Effect.sleep(5)
      // The count is the whole process's: a timer of vitest's own may end meanwhile, never one more may remain.
      expect(nodeTimers()).toBeLessThanOrEqual(before)
    })
  )
})
