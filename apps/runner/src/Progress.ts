import { SingleBar } from "cli-progress"
import { Effect } from "effect"
import { Output } from "./Output.js"

/** Progress of a run: a bar with ETA on a terminal, nothing otherwise (the report tells the rest). */
export interface Progress {
  readonly tick: (failed: boolean) => Effect.Effect<void>
  readonly stop: Effect.Effect<void>
}

/** A progress display for `total` units of work, on stderr when it is a terminal. */
export const makeProgress = (total: number, done: number) =>
  Effect.gen(function* () {
    const output = yield* Output
    if (!output.stderrIsTty || total === 0) {
      return { tick: () => Effect.void, stop: Effect.void } satisfies Progress
    }
    let failures = 0
    const bar = new SingleBar({
      stream: output.errStream,
      format: "{bar} {percentage}% | {value}/{total} steps | {failures} not ok | ETA {eta_formatted}",
      hideCursor: true,
      etaBuffer: 50,
      noTTYOutput: false
    })
    bar.start(total, done, { failures })
    return {
      tick: (failed) =>
        Effect.sync(() => {
          if (failed) failures++
          bar.increment(1, { failures })
        }),
      stop: Effect.sync(() => bar.stop())
    } satisfies Progress
  })
