import { Clock, Effect, Option, Ref } from "effect"
import { SandboxState } from "./Store/SandboxState.js"

const offsetKey = "clock_offset_ms"

/** The sandbox's notion of now: the real clock plus an offset the control plane can move forward. */
export class SandboxClock extends Effect.Service<SandboxClock>()("@bullseye-partner/sandbox/SandboxClock", {
  effect: Effect.gen(function* () {
    const state = yield* SandboxState
    const stored = yield* state.get(offsetKey).pipe(Effect.orDie)
    const offset = yield* Ref.make(Option.match(stored, { onNone: () => 0, onSome: Number }))
    const now = Effect.map(
      Effect.all([Clock.currentTimeMillis, Ref.get(offset)]),
      ([t, o]) => new Date(t + o)
    )
    const setOffset = (ms: number) =>
      Ref.set(offset, ms).pipe(Effect.zipRight(state.set(offsetKey, String(ms))), Effect.orDie)
    return {
      now,
      /** Moves the clock forward by `ms` milliseconds and returns the new now. */
      advance: Effect.fn("SandboxClock.advance")(function* (ms: number) {
        yield* setOffset((yield* Ref.get(offset)) + ms)
        return yield* now
      }),
      reset: setOffset(0)
    }
  }),
  dependencies: [SandboxState.Default]
}) {}
