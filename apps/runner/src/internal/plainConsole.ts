import { Console, Effect } from "effect"

// CSI sequences (colours, cursor moves) as @effect/cli's help and errors use them.
const ansi = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, "g")

const strip = (value: unknown): unknown => (typeof value === "string" ? value.replace(ansi, "") : value)

/** Runs an effect with a Console whose log and error lines carry no ANSI escapes (NO_COLOR, pipes). */
export const withPlainConsole = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.flatMap(Effect.console, (console) =>
    Effect.withConsole(effect, {
      ...console,
      log: (...args: ReadonlyArray<unknown>) => console.log(...args.map(strip)),
      error: (...args: ReadonlyArray<unknown>) => console.error(...args.map(strip))
    } satisfies Console.Console)
  )
