import { Effect, Layer, ManagedRuntime } from "effect"
import { afterEach, describe, expect, it, vi } from "vitest"
import { silentLogging } from "../src/AppLayer.js"

afterEach(() => vi.restoreAllMocks())

describe("silentLogging", () => {
  it("keeps log lines of layers (such as the embedded sandbox) and their fibers off the terminal", async () => {
    const writes: Array<unknown> = []
    for (const method of ["log", "error", "warn", "info", "debug"] as const) {
      vi.spyOn(console, method).mockImplementation((...args: Array<unknown>) => {
        writes.push(args)
      })
    }
    const noisy = Layer.effectDiscard(
      Effect.logError("during build").pipe(
        Effect.zipRight(Effect.forkDaemon(Effect.logWarning("in a daemon fiber"))),
        Effect.zipRight(Effect.sleep(10))
      )
    )
    const runtime = ManagedRuntime.make(noisy.pipe(Layer.provide(silentLogging)))
    await runtime.runPromise(Effect.logError("in the runtime"))
    await runtime.dispose()
    expect(writes).toEqual([])
  })
})
