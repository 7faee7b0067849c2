import {
  EmbeddedSandbox,
  type EmbeddedSandboxError,
  layer as embedded
} from "@bullseye-partner/sandbox/Embedded"
import { Effect, Layer } from "effect"
import { ConnectionTag } from "./AppLayer.js"

/** How the TUI uses the embedded sandbox of `@bullseye-partner/sandbox/Embedded`. */
export interface EmbeddedOptions {
  /** The user's data directory for this app, e.g. `$XDG_DATA_HOME/bullseye-partner`. */
  readonly dataDir: string
  readonly readOnly: boolean
}

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
      sandboxToken: info.controlToken
    }))
  ).pipe(Layer.provide(embedded({ dataDir: options.dataDir, keyName: "bullseye-tui" })))
