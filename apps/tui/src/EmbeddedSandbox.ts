import { ControlTokenHeader } from "@bullseye-partner/sandbox/Http/ControlToken"
import {
  EmbeddedSandbox,
  type EmbeddedSandboxError,
  layer as embedded
} from "@bullseye-partner/sandbox/Embedded"
import { Effect, Layer, Redacted } from "effect"
import { ConnectionTag } from "./AppLayer.js"
import type { SandboxControl } from "./Session.js"

/** How the TUI uses the embedded sandbox of `@bullseye-partner/sandbox/Embedded`. */
export interface EmbeddedOptions {
  /** The user's data directory for this app, e.g. `$XDG_DATA_HOME/bullseye-partner`. */
  readonly dataDir: string
  readonly readOnly: boolean
}

export { keyFile } from "@bullseye-partner/sandbox/DataDirectory"

const controlOf =
  (origin: string, token: Redacted.Redacted<string>): SandboxControl =>
  (method, path, body) =>
    Effect.tryPromise({
      try: async () => {
        const response = await fetch(`${origin}/_sandbox${path}`, {
          method,
          headers: { [ControlTokenHeader]: Redacted.value(token), "content-type": "application/json" },
          ...(body === undefined ? {} : { body: JSON.stringify(body) })
        })
        const text = await response.text()
        if (!response.ok) throw new Error(`The sandbox refused ${method} ${path} (${response.status})`)
        return text === "" ? undefined : (JSON.parse(text) as unknown)
      },
      catch: (error) => (error instanceof Error ? error : new Error(String(error)))
    })

/** Starts the sandbox in this process (SQLite store in the data directory, demo data on first start). */
export const layer = (options: EmbeddedOptions): Layer.Layer<ConnectionTag, EmbeddedSandboxError> =>
  Layer.effect(
    ConnectionTag,
    Effect.map(EmbeddedSandbox, ({ info, apiKey }) => ({
      baseUrl: info.apiBaseUrl,
      apiKey,
      mode: "sandbox" as const,
      profile: undefined,
      readOnly: options.readOnly,
      sandboxControl: controlOf(info.origin, info.controlToken)
    }))
  ).pipe(Layer.provide(embedded({ dataDir: options.dataDir, keyName: "bullseye-tui" })))
