import { Headers, HttpClient, HttpClientError } from "@effect/platform"
import type { HttpClientResponse } from "@effect/platform"
import {
  Clock,
  Context,
  Data,
  Deferred,
  Effect,
  Exit,
  Fiber,
  Layer,
  Option,
  Queue,
  Redacted,
  Stream,
  Subscribable
} from "effect"
import type { RateLimitSnapshot } from "./Errors.js"
import { hex } from "./internal/hex.js"

/** What a rate-limit meter shows: the known window (times in client epoch ms) and the local queue. */
export interface GovernorState {
  readonly limit: Option.Option<number>
  readonly remaining: Option.Option<number>
  readonly resetAt: Option.Option<number>
  readonly paused: boolean
  readonly queued: number
  readonly inFlight: number
}

/**
 * Why the governor did not send a request: the server asked for a wait (`Retry-After` or a reset) longer
 * than the governor's bound. `retryAt` is when the server said it accepts requests again (client epoch ms).
 */
export class WaitTooLong extends Data.TaggedError("WaitTooLong")<{
  readonly retryAt: number
  readonly waitMs: number
}> {}

/** The request budget of one partner key at one base URL. */
export interface RateLimitGovernor {
  /**
   * Live state for meters: `get` reads it, `changes` emits it and then every change. Nothing is computed
   * for the stream while no one subscribes.
   */
  readonly state: Subscribable.Subscribable<GovernorState>
  /** The window as last reported by the server, with `resetAt` in client epoch ms. */
  readonly snapshot: Effect.Effect<Option.Option<RateLimitSnapshot>>
  /** When the server accepts requests again (client epoch ms), while it is known to refuse them. */
  readonly retryAt: Effect.Effect<Option.Option<number>>
  /**
   * Runs one attempt once the budget allows it and learns the budget from its response; fails with
   * `WaitTooLong`, without sending, while the server asks for a wait longer than the bound.
   */
  readonly govern: <E, R>(
    attempt: Effect.Effect<HttpClientResponse.HttpClientResponse, E, R>
  ) => Effect.Effect<HttpClientResponse.HttpClientResponse, E | WaitTooLong, R>
}

interface Permit {
  readonly probe: boolean
}

interface Waiter {
  readonly deferred: Deferred.Deferred<Permit, WaitTooLong>
  permit: Permit | undefined
}

interface Window {
  readonly reset: number
  limit: number
  remaining: number
  current: boolean
}

interface Core {
  window: Window | undefined
  offsetKnown: boolean
  offsetLow: number
  offsetHigh: number
  pausedUntil: number
  /** A wait beyond the bound: requests fail fast until `until`, then one probe asks the server again. */
  refusal: { readonly until: number; readonly retryAt: number } | undefined
  probing: boolean
  unmetered: boolean
  inFlight: number
  readonly waiters: Set<Waiter>
  timer: { readonly at: number; fiber: Fiber.RuntimeFiber<void> | undefined } | undefined
  published: GovernorState
}

const header = (headers: Headers.Headers, name: string): number | undefined => {
  const value = Option.getOrUndefined(Headers.get(headers, name))
  if (value === undefined || value.trim() === "") return undefined
  const n = Number(value)
  return Number.isFinite(n) ? n : undefined
}

const sameNumber = Option.getEquivalence((x: number, y: number) => x === y)

const sameState = (a: GovernorState, b: GovernorState): boolean =>
  sameNumber(a.limit, b.limit) &&
  sameNumber(a.remaining, b.remaining) &&
  sameNumber(a.resetAt, b.resetAt) &&
  a.paused === b.paused &&
  a.queued === b.queued &&
  a.inFlight === b.inFlight

const initialState: GovernorState = {
  limit: Option.none(),
  remaining: Option.none(),
  resetAt: Option.none(),
  paused: false,
  queued: 0,
  inFlight: 0
}

/** Tuning of a governor; the defaults suit the Partner API's fixed 60-second windows. */
export interface GovernorOptions {
  /** Length of the server's fixed window (default 60 s). */
  readonly windowMs?: number
  /** Share of the limit held back when a window opens and released evenly until it resets (default 0.5). */
  readonly pacedShare?: number
  /**
   * The longest server-imposed wait obeyed (default two windows): a longer `Retry-After` or reset fails
   * requests fast with `WaitTooLong` instead of sleeping, and a window whose reset is further away is ignored.
   */
  readonly maxWaitMs?: number
}

/** The default bound on a server-imposed wait: two of the Partner API's 60-second windows. */
export const defaultMaxWaitMs = 120_000

/** Creates a governor with its own budget and the given tuning. */
export const makeWith = (options: GovernorOptions = {}): Effect.Effect<RateLimitGovernor> =>
  Effect.gen(function* () {
    const windowMs = Math.max(1, options.windowMs ?? 60_000)
    const pacedShare = Math.min(1, Math.max(0, options.pacedShare ?? 0.5))
    const maxWaitMs = Math.max(0, options.maxWaitMs ?? 2 * windowMs)
    const core: Core = {
      window: undefined,
      offsetKnown: false,
      offsetLow: 0,
      offsetHigh: 0,
      pausedUntil: 0,
      refusal: undefined,
      probing: false,
      unmetered: false,
      inFlight: 0,
      waiters: new Set(),
      timer: undefined,
      published: initialState
    }

    // The lower bound of the server-minus-client offset: waiting for it never lets a request arrive early.
    const resetAtClient = (window: Window): number =>
      window.reset * 1000 - (core.offsetKnown ? core.offsetLow : 0)

    const expire = (now: number): void => {
      if (core.window !== undefined && core.window.current && now >= resetAtClient(core.window)) {
        core.window.current = false
      }
      if (core.pausedUntil !== 0 && now >= core.pausedUntil) core.pausedUntil = 0
      if (core.refusal !== undefined && now >= core.refusal.until) core.refusal = undefined
    }

    const refused = (now: number): WaitTooLong | undefined => {
      expire(now)
      const refusal = core.refusal
      return refusal === undefined
        ? undefined
        : new WaitTooLong({ retryAt: refusal.retryAt, waitMs: Math.max(0, refusal.retryAt - now) })
    }

    const grant = (probe: boolean): Permit => {
      core.inFlight++
      if (probe) core.probing = true
      return { probe }
    }

    // Held back at `now`: a share of the limit released evenly until the reset, so processes sharing the key
    // see each other's spending in their responses before the budget runs out.
    const reserve = (window: Window, now: number): number =>
      pacedShare * window.limit * Math.min(1, Math.max(0, (resetAtClient(window) - now) / windowMs))

    const tryGrant = (now: number): Permit | undefined => {
      expire(now)
      if (core.pausedUntil !== 0) return undefined
      if (core.unmetered) return grant(false)
      const window = core.window
      if (window === undefined || !window.current) return core.probing ? undefined : grant(true)
      // At most half of what is free in flight: two processes bursting together still fit in the budget.
      return 2 * core.inFlight < window.remaining - reserve(window, now) ? grant(false) : undefined
    }

    const wakeAt = (now: number): number | undefined => {
      if (core.pausedUntil !== 0) return core.pausedUntil
      const window = core.window
      if (window === undefined || !window.current) return undefined
      const resetAt = resetAtClient(window)
      const target = window.remaining - 2 * core.inFlight
      if (target <= 0 || pacedShare === 0) return resetAt
      // The first instant the reserve has shrunk below `target`, released in steps of 1% of the window.
      const released = Math.floor(resetAt - (target * windowMs) / (pacedShare * window.limit)) + 1
      const step = Math.max(now + Math.ceil(windowMs / 100), released)
      return resetAt - 1 > now ? Math.min(resetAt - 1, step) : resetAt
    }

    const view = (): GovernorState => {
      const window = core.window
      const current = window !== undefined && window.current
      return {
        limit: window === undefined ? Option.none() : Option.some(window.limit),
        remaining: current ? Option.some(window.remaining) : Option.none(),
        resetAt: current ? Option.some(resetAtClient(window)) : Option.none(),
        paused: core.pausedUntil !== 0 || (current && window.remaining <= 0),
        queued: core.waiters.size,
        inFlight: core.inFlight
      }
    }

    // Publishing runs twice per attempt: while no one subscribes it costs nothing.
    const subscribers = new Set<Queue.Queue<GovernorState>>()
    const refresh = (): void => {
      const next = view()
      if (sameState(next, core.published)) return
      core.published = next
      for (const queue of subscribers) Queue.unsafeOffer(queue, next)
    }
    const publish = (): void => {
      if (subscribers.size > 0) refresh()
    }
    const subscribe = Effect.acquireRelease(
      Effect.map(Queue.unbounded<GovernorState>(), (queue) => {
        // The last published state may be stale while no one listened: bring the others up to date first.
        refresh()
        subscribers.add(queue)
        Queue.unsafeOffer(queue, core.published)
        return queue
      }),
      (queue) =>
        Effect.zipRight(
          Effect.sync(() => subscribers.delete(queue)),
          Queue.shutdown(queue)
        )
    )
    const state = Subscribable.make({
      get: Effect.sync(view),
      changes: Stream.unwrapScoped(Effect.map(subscribe, (queue) => Stream.fromQueue(queue)))
    })

    const tick: Effect.Effect<void> = Effect.flatMap(Clock.currentTimeMillis, (now) =>
      Effect.map(pump(now), publish)
    )

    const schedule = (now: number): Effect.Effect<void> => {
      const existing = core.timer
      if (core.waiters.size === 0) {
        core.timer = undefined
        return existing?.fiber === undefined ? Effect.void : Fiber.interruptFork(existing.fiber)
      }
      const at = wakeAt(now)
      if (at === undefined || at <= now || (existing !== undefined && existing.at <= at)) return Effect.void
      const timer: NonNullable<Core["timer"]> = { at, fiber: undefined }
      core.timer = timer
      // One timer wakes every waiter together; it is a daemon so no caller's interruption strands the queue.
      return Effect.sleep(at - now).pipe(
        Effect.zipRight(
          Effect.suspend(() => {
            if (core.timer === timer) core.timer = undefined
            return tick
          })
        ),
        Effect.interruptible,
        Effect.forkDaemon,
        Effect.flatMap((fiber) => {
          timer.fiber = fiber
          return existing?.fiber === undefined ? Effect.void : Fiber.interruptFork(existing.fiber)
        })
      )
    }

    const pump = (now: number): Effect.Effect<void> =>
      Effect.suspend(() => {
        const refusal = refused(now)
        if (refusal !== undefined) {
          for (const waiter of core.waiters) Deferred.unsafeDone(waiter.deferred, Exit.fail(refusal))
          core.waiters.clear()
        }
        for (const waiter of core.waiters) {
          const permit = tryGrant(now)
          if (permit === undefined) break
          core.waiters.delete(waiter)
          waiter.permit = permit
          Deferred.unsafeDone(waiter.deferred, Exit.succeed(permit))
        }
        return schedule(now)
      })

    const giveBack = (permit: Permit): void => {
      core.inFlight--
      if (permit.probe) core.probing = false
    }

    const learnOffset = (headers: Headers.Headers, sentAt: number, receivedAt: number) => {
      const date = Option.getOrUndefined(Headers.get(headers, "date"))
      const serverMs = date === undefined ? Number.NaN : Date.parse(date)
      if (Number.isNaN(serverMs)) return
      // `Date` is truncated to whole seconds and was stamped somewhere between sending and receiving.
      const low = serverMs - receivedAt
      const high = serverMs + 1000 - sentAt
      if (!core.offsetKnown || low > core.offsetHigh || high < core.offsetLow) {
        core.offsetKnown = true
        core.offsetLow = low
        core.offsetHigh = high
      } else {
        core.offsetLow = Math.max(core.offsetLow, low)
        core.offsetHigh = Math.min(core.offsetHigh, high)
      }
    }

    const learn = (response: HttpClientResponse.HttpClientResponse, sentAt: number, receivedAt: number) => {
      // Some clients build the headers object on every access: read it once.
      const headers = response.headers
      learnOffset(headers, sentAt, receivedAt)
      const limit = header(headers, "x-ratelimit-limit")
      const remaining = header(headers, "x-ratelimit-remaining")
      const reset = header(headers, "x-ratelimit-reset")
      const retryAfter = header(headers, "retry-after")
      const pauseUntil = (until: number) => {
        // A wait beyond the bound is never slept: requests fail fast for a bounded time, then probe again.
        if (until - receivedAt > maxWaitMs) {
          core.refusal = { until: receivedAt + Math.max(1000, Math.min(maxWaitMs, windowMs)), retryAt: until }
        } else {
          core.pausedUntil = Math.max(core.pausedUntil, until)
        }
      }
      const pauseFor429 = () => pauseUntil(receivedAt + Math.max(1, retryAfter ?? 1) * 1000)
      const farReset = reset !== undefined && reset * 1000 - core.offsetHigh - receivedAt > maxWaitMs
      if (limit === undefined || remaining === undefined || reset === undefined || farReset) {
        if (response.status === 429) {
          if (farReset && retryAfter === undefined) pauseUntil(reset * 1000 - core.offsetLow)
          else pauseFor429()
        } else if (response.status < 500 && !farReset) core.unmetered = true
        return
      }
      core.unmetered = false
      const known = core.window
      let window: Window | undefined
      if (known === undefined || reset > known.reset) {
        window = { reset, limit, remaining, current: true }
        core.window = window
      } else if (reset === known.reset) {
        window = known
        window.limit = limit
        window.remaining = Math.min(window.remaining, remaining)
      }
      if (response.status === 429 && window !== undefined) {
        window.remaining = 0
        // A 429 for a window we believe over means the reset we computed was early: trust Retry-After.
        if (!window.current || resetAtClient(window) <= receivedAt) pauseFor429()
      }
      if (window !== undefined && window.current) expire(receivedAt)
    }

    const observe = (
      permit: Permit,
      exit: Exit.Exit<HttpClientResponse.HttpClientResponse, unknown>,
      sentAt: number,
      receivedAt: number
    ): Effect.Effect<void> =>
      Effect.suspend(() => {
        giveBack(permit)
        if (Exit.isSuccess(exit)) learn(exit.value, sentAt, receivedAt)
        return Effect.map(pump(receivedAt), publish)
      })

    // Plain combinators and direct clock reads rather than generators: this runs for every attempt.
    const acquire = (
      restore: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>,
      clock: Clock.Clock
    ): Effect.Effect<Permit, WaitTooLong> =>
      Effect.suspend(() => {
        const now = clock.unsafeCurrentTimeMillis()
        const refusal = refused(now)
        if (refusal !== undefined) return Effect.fail(refusal)
        if (core.waiters.size === 0) {
          const permit = tryGrant(now)
          if (permit !== undefined) {
            publish()
            return Effect.succeed(permit)
          }
        }
        return queue(restore, now)
      })

    const queue = (
      restore: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>,
      now: number
    ): Effect.Effect<Permit, WaitTooLong> =>
      Effect.gen(function* () {
        const waiter: Waiter = { deferred: yield* Deferred.make<Permit, WaitTooLong>(), permit: undefined }
        core.waiters.add(waiter)
        yield* pump(now)
        publish()
        return yield* restore(Deferred.await(waiter.deferred)).pipe(
          Effect.onInterrupt(() =>
            Effect.suspend(() => {
              core.waiters.delete(waiter)
              if (waiter.permit !== undefined) giveBack(waiter.permit)
              return tick
            })
          )
        )
      })

    const govern = <E, R>(
      attempt: Effect.Effect<HttpClientResponse.HttpClientResponse, E, R>
    ): Effect.Effect<HttpClientResponse.HttpClientResponse, E | WaitTooLong, R> =>
      Effect.uninterruptibleMask((restore) =>
        Effect.clockWith((clock) =>
          Effect.flatMap(acquire(restore, clock), (permit) => {
            const sentAt = clock.unsafeCurrentTimeMillis()
            return Effect.flatMap(Effect.exit(restore(attempt)), (exit) =>
              Effect.zipRight(observe(permit, exit, sentAt, clock.unsafeCurrentTimeMillis()), exit)
            )
          })
        )
      )

    const snapshot = Effect.sync(() =>
      Option.map(Option.fromNullable(core.window), (window): RateLimitSnapshot => ({
        limit: window.limit,
        remaining: window.remaining,
        resetAt: resetAtClient(window)
      }))
    )

    const retryAt = Effect.clockWith((clock) =>
      Effect.sync((): Option.Option<number> => {
        const now = clock.unsafeCurrentTimeMillis()
        const refusal = refused(now)
        if (refusal !== undefined) return Option.some(refusal.retryAt)
        if (core.pausedUntil !== 0) return Option.some(core.pausedUntil)
        const window = core.window
        return window !== undefined && window.current && window.remaining <= 0
          ? Option.some(resetAtClient(window))
          : Option.none()
      })
    )

    return { state, snapshot, retryAt, govern } satisfies RateLimitGovernor
  })

/** Creates a governor with its own budget and the default tuning. */
export const make: Effect.Effect<RateLimitGovernor> = makeWith()

/** The governors of one scope, one per (base URL, key): clients of the same account there share a budget. */
export interface GovernorRegistry {
  readonly forTarget: (baseUrl: string, key: Redacted.Redacted<string>) => Effect.Effect<RateLimitGovernor>
}

/** The registry `PartnerClient` takes its governor from when one is provided. */
export class Governors extends Context.Tag("@bullseye-partner/core/RateLimitGovernor/Governors")<
  Governors,
  GovernorRegistry
>() {}

// The key is kept only as its sha256 (Web Crypto rather than node:crypto, so the client runs on any platform);
// a base URL with or without a trailing slash is the same target.
const targetId = (baseUrl: string, key: Redacted.Redacted<string>): Effect.Effect<string> =>
  Effect.promise(() => crypto.subtle.digest("SHA-256", new TextEncoder().encode(Redacted.value(key)))).pipe(
    Effect.map((digest) => `${baseUrl.replace(/\/+$/, "")} ${hex(new Uint8Array(digest))}`)
  )

/**
 * A registry whose governors live as long as the layer (never a process-wide map): every client built in
 * its scope for the same base URL and key shares one budget, and a wait imposed at one base URL stays there.
 */
export const layerRegistry = (options: GovernorOptions = {}): Layer.Layer<Governors> =>
  Layer.sync(Governors, () => {
    const governors = new Map<string, RateLimitGovernor>()
    return {
      forTarget: (baseUrl, key) =>
        Effect.flatMap(targetId(baseUrl, key), (id) => {
          const existing = governors.get(id)
          if (existing !== undefined) return Effect.succeed(existing)
          return Effect.map(makeWith(options), (created) => {
            const raced = governors.get(id)
            if (raced !== undefined) return raced
            governors.set(id, created)
            return created
          })
        })
    }
  })

/** The governor in context, for layers that build clients. */
export const tag: Context.Tag<RateLimitGovernor, RateLimitGovernor> = Context.GenericTag<RateLimitGovernor>(
  "@bullseye-partner/core/RateLimitGovernor"
)

/** Provides a governor with a budget of its own (e.g. for the in-process sandbox). */
export const layer: Layer.Layer<RateLimitGovernor> = Layer.effect(tag, make)

/** Sends every attempt of a client through the governor; a refused wait is a `Transport` `RequestError`. */
export const transformClient =
  (governor: RateLimitGovernor) =>
  (client: HttpClient.HttpClient): HttpClient.HttpClient =>
    HttpClient.transform(client, (attempt, request) =>
      Effect.catchIf(
        governor.govern(attempt),
        (error): error is WaitTooLong => error instanceof WaitTooLong,
        (cause) =>
          Effect.fail(
            new HttpClientError.RequestError({
              request,
              reason: "Transport",
              cause,
              description: `rate limited until ${new Date(cause.retryAt).toISOString()}, longer than the wait allowed`
            })
          )
      )
    )

/** The governor's tag, with its constructors: `RateLimitGovernor.make`, `RateLimitGovernor.layerRegistry`. */
export const RateLimitGovernor: Context.Tag<RateLimitGovernor, RateLimitGovernor> & {
  readonly make: typeof make
  readonly makeWith: typeof makeWith
  readonly layer: typeof layer
  readonly layerRegistry: typeof layerRegistry
  readonly transformClient: typeof transformClient
} = Object.assign(tag, { make, makeWith, layer, layerRegistry, transformClient })
