import { Cause, Duration, Effect, Exit, Fiber, type ManagedRuntime, Option } from "effect"
import { createContext, useCallback, useContext, useEffect, useRef, useState } from "react"
import type { AppServices } from "./AppLayer.js"
import { describeCause } from "./ErrorMessage.js"

/** The one runtime of the TUI; built in main (or by a test) and handed down through context. */
export type AppRuntime = ManagedRuntime.ManagedRuntime<AppServices, unknown>

export const RuntimeContext = createContext<AppRuntime | undefined>(undefined)

/** Where a query stands; a refresh keeps the previous value visible. */
export type QueryState<A> =
  | { readonly _tag: "Idle" }
  | { readonly _tag: "Loading" }
  | { readonly _tag: "Success"; readonly value: A; readonly refreshing: boolean }
  | { readonly _tag: "Failure"; readonly message: string }

/** The outcome of the last action, shown as one line. */
export interface Notice {
  readonly kind: "error" | "info"
  readonly text: string
}

export interface EffectQuery<A> {
  readonly state: QueryState<A>
  readonly refresh: () => void
  /** Runs an action (a write) with a pending label; its failure or success line lands in `notice`. */
  readonly run: <B, E>(
    label: string,
    effect: Effect.Effect<B, E, AppServices>,
    onSuccess?: (value: B) => string | undefined
  ) => Promise<Option.Option<B>>
  readonly pending: string | undefined
  readonly notice: Notice | undefined
  readonly setNotice: (notice: Notice | undefined) => void
}

export interface QueryOptions {
  /** Runs the query again this long after each completion (meters, live views). */
  readonly intervalMs?: number | undefined
  /** Keeps the last value on screen (as refreshing) when `deps` change, as a refresh does. */
  readonly keepPrevious?: boolean | undefined
}

/** Every query fiber still running, so that quitting can let their finalizers finish first. */
const liveQueries = new Set<Fiber.RuntimeFiber<unknown, unknown>>()

/**
 * Interrupts every running query and waits (at most `timeout`) for its finalizers: listen mode points
 * the identification channel back where it was, which needs the API (and the embedded sandbox) still
 * up. Call before disposing the runtime.
 */
export const settleQueries = (timeout: Duration.DurationInput = "5 seconds"): Promise<void> =>
  Effect.runPromise(Fiber.interruptAll([...liveQueries]).pipe(Effect.timeout(timeout), Effect.ignore))

/**
 * The one hook that runs effects: loads `query` whenever `deps` change (interrupting the previous
 * run), and runs actions through the same runtime. Errors become short messages, never stacks.
 */
export const useEffectQuery = <A, E>(
  query: (() => Effect.Effect<A, E, AppServices>) | undefined,
  deps: ReadonlyArray<unknown>,
  options: QueryOptions = {}
): EffectQuery<A> => {
  const runtime = useContext(RuntimeContext)
  if (runtime === undefined) throw new Error("useEffectQuery needs a RuntimeContext provider")
  const [state, setState] = useState<QueryState<A>>(
    query === undefined ? { _tag: "Idle" } : { _tag: "Loading" }
  )
  const [tick, setTick] = useState(0)
  const [pending, setPending] = useState<string | undefined>(undefined)
  const [notice, setNotice] = useState<Notice | undefined>(undefined)
  const lastTick = useRef(tick)
  const mounted = useRef(true)
  const queryRef = useRef(query)
  queryRef.current = query
  const intervalMs = options.intervalMs
  const keepPrevious = options.keepPrevious === true

  useEffect(() => {
    mounted.current = true
    return () => {
      mounted.current = false
    }
  }, [])

  useEffect(() => {
    const make = queryRef.current
    if (make === undefined) {
      setState({ _tag: "Idle" })
      return
    }
    const isRefresh = lastTick.current !== tick
    lastTick.current = tick
    setState((previous) =>
      (isRefresh || keepPrevious) && previous._tag === "Success"
        ? { ...previous, refreshing: true }
        : { _tag: "Loading" }
    )
    let cancelled = false
    let timer: ReturnType<typeof setTimeout> | undefined
    const fiber = runtime.runFork(make())
    liveQueries.add(fiber)
    fiber.addObserver((exit) => {
      liveQueries.delete(fiber)
      if (cancelled) return
      if (Exit.isSuccess(exit)) {
        setState({ _tag: "Success", value: exit.value, refreshing: false })
      } else if (!Cause.isInterruptedOnly(exit.cause)) {
        setState({ _tag: "Failure", message: describeCause(exit.cause) })
      }
      if (intervalMs !== undefined) timer = setTimeout(() => setTick((t) => t + 1), intervalMs)
    })
    return () => {
      cancelled = true
      if (timer !== undefined) clearTimeout(timer)
      fiber.unsafeInterruptAsFork(fiber.id())
    }
  }, [...deps, tick, runtime, intervalMs, keepPrevious])

  const refresh = useCallback(() => setTick((t) => t + 1), [])

  const run = useCallback(
    async <B, E2>(
      label: string,
      effect: Effect.Effect<B, E2, AppServices>,
      onSuccess?: (value: B) => string | undefined
    ): Promise<Option.Option<B>> => {
      setPending(label)
      setNotice(undefined)
      const exit = await runtime.runPromiseExit(effect)
      if (!mounted.current) return Exit.isSuccess(exit) ? Option.some(exit.value) : Option.none()
      setPending(undefined)
      if (Exit.isSuccess(exit)) {
        const text = onSuccess?.(exit.value)
        if (text !== undefined) setNotice({ kind: "info", text })
        return Option.some(exit.value)
      }
      setNotice({ kind: "error", text: describeCause(exit.cause) })
      return Option.none()
    },
    [runtime]
  )

  return { state, refresh, run, pending, notice, setNotice }
}

/** The value of a query, when it has one. */
export const valueOf = <A,>(state: QueryState<A>): A | undefined =>
  state._tag === "Success" ? state.value : undefined

/** Refreshes a query when the global refresh key is pressed (not on mount). */
export const useRefreshOn = (refreshTick: number, refresh: () => void): void => {
  const first = useRef(refreshTick)
  useEffect(() => {
    if (refreshTick !== first.current) refresh()
  }, [refreshTick, refresh])
}
