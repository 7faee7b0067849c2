import { Clock, Effect } from "effect"

/** The state of one fixed window as the `X-RateLimit-*` headers report it. */
export interface RateWindow {
  readonly limit: number
  readonly remaining: number
  /** Unix time in seconds when the window ends. */
  readonly resetSeconds: number
  readonly exceeded: boolean
}

/**
 * Fixed-window counters (windows aligned to multiples of their length since the epoch), kept in
 * memory: a restart forgets them, as a real API's would after its window anyway.
 */
export class RateLimiter extends Effect.Service<RateLimiter>()("@bullseye-partner/sandbox/Http/RateLimiter", {
  sync: () => {
    const counters = new Map<string, { window: number; count: number; endsAtMs: number }>()
    let lastSweepMs = 0

    const state = (key: string, windowSeconds: number, nowMs: number) => {
      const windowMs = windowSeconds * 1000
      const window = Math.floor(nowMs / windowMs)
      if (nowMs - lastSweepMs >= 1000) {
        for (const [k, v] of counters) if (v.endsAtMs <= nowMs) counters.delete(k)
        lastSweepMs = nowMs
      }
      const entry = counters.get(key)
      const count = entry !== undefined && entry.window === window ? entry.count : 0
      const endsAtMs = (window + 1) * windowMs
      return { window, count, endsAtMs, resetSeconds: endsAtMs / 1000 }
    }

    return {
      /** The window without counting a request. */
      peek: (key: string, limit: number, windowSeconds: number) =>
        Effect.map(Clock.currentTimeMillis, (now): RateWindow => {
          const s = state(key, windowSeconds, now)
          return {
            limit,
            remaining: Math.max(0, limit - s.count),
            resetSeconds: s.resetSeconds,
            exceeded: s.count >= limit
          }
        }),
      /** Counts a request when the window has room; `exceeded` says it had none (and nothing was counted). */
      consume: (key: string, limit: number, windowSeconds: number) =>
        Effect.map(Clock.currentTimeMillis, (now): RateWindow => {
          const s = state(key, windowSeconds, now)
          if (s.count >= limit) return { limit, remaining: 0, resetSeconds: s.resetSeconds, exceeded: true }
          counters.set(key, { window: s.window, count: s.count + 1, endsAtMs: s.endsAtMs })
          return { limit, remaining: limit - s.count - 1, resetSeconds: s.resetSeconds, exceeded: false }
        }),
      reset: Effect.sync(() => counters.clear())
    }
  }
}) {}
