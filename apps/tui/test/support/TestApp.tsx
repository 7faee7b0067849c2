import type { SandboxHandle } from "@bullseye-partner/sandbox/SandboxTest"
import { Effect, Layer, ManagedRuntime, type Redacted } from "effect"
import { render } from "ink-testing-library"
import { App } from "../../src/App.js"
import { type AppServices, fromConnection, silentLogging } from "../../src/AppLayer.js"
import { RuntimeContext, settleQueries } from "../../src/Runtime.js"
import { makeTheme, ThemeContext } from "../../src/Theme.js"

export const keys = {
  enter: "\r",
  esc: "\u001B",
  up: "\u001B[A",
  down: "\u001B[B",
  right: "\u001B[C",
  left: "\u001B[D",
  tab: "\t",
  backspace: "\u007F"
} as const

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export interface TestApp {
  readonly frame: () => string
  /** Waits until the last frame contains every text (or the predicate holds); fails with the frame. */
  readonly waitFor: (
    expected: string | ReadonlyArray<string> | ((frame: string) => boolean),
    timeoutMs?: number
  ) => Promise<string>
  /** Sends keys one by one, as a user types them. */
  readonly press: (...sequence: ReadonlyArray<string>) => Promise<void>
  /** Types text one character at a time. */
  readonly type: (text: string) => Promise<void>
  /** Runs an SDK effect through the app's own runtime (to check the sandbox's state). */
  readonly sdk: <A, E>(effect: Effect.Effect<A, E, AppServices>) => Promise<A>
  readonly close: () => Promise<void>
}

/** Renders the whole App against a sandbox, with colours off so frames are plain text. */
export const startApp = (
  sandbox: SandboxHandle,
  options: { readonly apiKey?: Redacted.Redacted<string>; readonly readOnly?: boolean } = {}
): TestApp => {
  const runtime = ManagedRuntime.make(
    fromConnection({
      baseUrl: sandbox.baseUrl,
      apiKey: options.apiKey ?? sandbox.apiKey,
      mode: "sandbox",
      profile: undefined,
      readOnly: options.readOnly ?? false,
      sandboxToken: sandbox.controlToken
    }).pipe(Layer.provide(silentLogging))
  )
  const instance = render(
    <RuntimeContext.Provider value={runtime}>
      <ThemeContext.Provider value={makeTheme(false)}>
        <App />
      </ThemeContext.Provider>
    </RuntimeContext.Provider>
  )
  const frame = () => instance.lastFrame() ?? ""
  const waitFor: TestApp["waitFor"] = async (expected, timeoutMs = 20_000) => {
    const holds =
      typeof expected === "function"
        ? expected
        : (f: string) => (typeof expected === "string" ? [expected] : expected).every((t) => f.includes(t))
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      if (holds(frame())) {
        // Ink shows a frame at commit; the new screen's key handlers subscribe in effects a moment later.
        await sleep(120)
        return frame()
      }
      await sleep(25)
    }
    throw new Error(
      `Timed out waiting for ${typeof expected === "function" ? "a frame" : JSON.stringify(expected)}; last frame:\n${frame()}`
    )
  }
  // After each key, waits until Ink has drawn whatever the key changed (no new frame for a while), as
  // a user sees the screen before the next key. The components keep keys that come faster (see
  // test/components/Form.test.tsx); this keeps the screen tests about screens, not timing.
  const settled = async () => {
    let seen = instance.frames.length
    for (let quiet = 0; quiet < 2;) {
      await sleep(20)
      await new Promise((resolve) => setImmediate(resolve))
      if (instance.frames.length === seen) quiet++
      else {
        seen = instance.frames.length
        quiet = 0
      }
    }
  }
  const press: TestApp["press"] = async (...sequence) => {
    for (const key of sequence) {
      instance.stdin.write(key)
      await settled()
    }
  }
  return {
    frame,
    waitFor,
    press,
    type: (text) => press(...text.split("")),
    sdk: (effect) => runtime.runPromise(effect),
    // As the binary quits: unmount, let running queries finish their clean-up, stop the runtime.
    close: async () => {
      instance.unmount()
      instance.cleanup()
      await settleQueries()
      await runtime.dispose()
    }
  }
}
