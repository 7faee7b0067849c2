import type { HttpClient, HttpClientError, HttpClientRequest } from "@effect/platform"
import { Clock, Duration, Effect, Exit, Fiber, FiberId } from "effect"

const NativeLimits: unique symbol = Symbol.for("@bullseye-partner/core/NativeLimits")

/** Builds the failure of an attempt that ran out of time. */
export type OnTimeout = (request: HttpClientRequest.HttpClientRequest) => HttpClientError.HttpClientError

/** What bounds one attempt: its deadline (body included), if any, and the largest body it reads. */
export interface AttemptLimits {
  readonly deadline: { readonly timeoutMs: number; readonly onTimeout: OnTimeout } | undefined
  readonly maxBodyBytes: number
}

/**
 * Marks a client that applies attempt limits itself (a timer that aborts the request, a counted body), which
 * is cheaper than the fiber per attempt `makeDeadlines` needs. Only the client itself carries the mark:
 * wrapping it in another client hides it, and the wrapper is bounded generically instead.
 */
export const withNativeLimits = <C extends HttpClient.HttpClient>(
  client: C,
  bounded: (limits: AttemptLimits) => HttpClient.HttpClient
): C => Object.assign(client, { [NativeLimits]: bounded })

/** The client's own way of applying attempt limits, if it has one. */
export const nativeLimits = (
  client: HttpClient.HttpClient
): ((limits: AttemptLimits) => HttpClient.HttpClient) | undefined =>
  (client as { readonly [NativeLimits]?: (limits: AttemptLimits) => HttpClient.HttpClient })[NativeLimits]

interface Pending {
  readonly deadline: number
  readonly fiber: Fiber.RuntimeFiber<unknown, unknown>
  expired: boolean
}

interface Wheel {
  readonly pending: Set<Pending>
  fiber: Fiber.RuntimeFiber<void> | undefined
  wakeAt: number
}

/**
 * Fails effects that take longer than `timeoutMs` with `onTimeout`, interrupting them, like
 * `Effect.timeoutFail`. `timeoutFail` races two forked fibers per effect (the effect and a sleep);
 * here each effect gets one fiber and a single timer fiber per clock sleeps until the earliest
 * deadline, expires what is due and stops once nothing is pending, so no timer outlives the work.
 */
export const makeDeadlines = (timeoutMs: number) => {
  const wheels = new WeakMap<Clock.Clock, Wheel>()

  const expire = (pending: Pending, by: FiberId.FiberId) => {
    if (pending.fiber.unsafePoll() !== null) return
    pending.expired = true
    pending.fiber.unsafeInterruptAsFork(by)
  }

  const run = (wheel: Wheel, clock: Clock.Clock): Effect.Effect<void> =>
    Effect.withFiberRuntime<void>((self) => {
      // A timer that was stopped, or replaced, leaves the pending work to the current one.
      if (wheel.fiber !== (self as Fiber.RuntimeFiber<unknown, unknown>)) return Effect.void
      const now = clock.unsafeCurrentTimeMillis()
      let next = Infinity
      for (const pending of wheel.pending) {
        if (pending.deadline <= now) {
          wheel.pending.delete(pending)
          expire(pending, self.id())
        } else if (pending.deadline < next) next = pending.deadline
      }
      if (next === Infinity) {
        wheel.fiber = undefined
        return Effect.void
      }
      wheel.wakeAt = next
      return Effect.zipRight(clock.sleep(Duration.millis(next - now)), run(wheel, clock))
    })

  const start = (wheel: Wheel, clock: Clock.Clock) =>
    Effect.map(Effect.forkDaemon(Effect.interruptible(run(wheel, clock))), (fiber) => {
      wheel.fiber = fiber
      // Until it runs, the new timer is due to look at everything pending, whatever its deadline.
      wheel.wakeAt = -Infinity
    })

  const stop = (wheel: Wheel) => {
    const fiber = wheel.fiber
    wheel.fiber = undefined
    fiber?.unsafeInterruptAsFork(FiberId.none)
  }

  return <A, E, R, E1>(effect: Effect.Effect<A, E, R>, onTimeout: () => E1): Effect.Effect<A, E | E1, R> =>
    Effect.clockWith((clock): Effect.Effect<A, E | E1, R> =>
      Effect.uninterruptibleMask((restore) =>
        Effect.flatMap(Effect.fork(restore(effect)), (fiber) => {
          let wheel = wheels.get(clock)
          if (wheel === undefined) {
            wheel = { pending: new Set(), fiber: undefined, wakeAt: Infinity }
            wheels.set(clock, wheel)
          }
          const pending: Pending = {
            deadline: clock.unsafeCurrentTimeMillis() + timeoutMs,
            fiber: fiber as Fiber.RuntimeFiber<unknown, unknown>,
            expired: false
          }
          const current = wheel
          current.pending.add(pending)
          // A clock set back can bring a deadline before the one the timer waits for.
          if (current.fiber !== undefined && pending.deadline < current.wakeAt) stop(current)
          const started = current.fiber === undefined ? start(current, clock) : Effect.void
          const settle = () => {
            current.pending.delete(pending)
            if (current.pending.size === 0) stop(current)
          }
          return started.pipe(
            Effect.zipRight(restore(Fiber.await(fiber))),
            Effect.onInterrupt(() => Effect.zipRight(Effect.sync(settle), Fiber.interrupt(fiber))),
            Effect.flatMap((exit): Effect.Effect<A, E | E1> => {
              settle()
              if (Exit.isSuccess(exit)) return Effect.as(Fiber.inheritAll(fiber), exit.value)
              return pending.expired ? Effect.fail(onTimeout()) : exit
            })
          )
        })
      )
    )
}
