import * as PartnerClient from "@bullseye-partner/core/PartnerClient"
import * as PartnerConfig from "@bullseye-partner/core/PartnerConfig"
import { FileSystem, HttpClient, Path } from "@effect/platform"
import * as DataDirectory from "@bullseye-partner/sandbox/DataDirectory"
import { Config, Data, Effect, Layer, Option } from "effect"
import { Output } from "./Output.js"
import * as WriteClient from "./WriteClient.js"

/** The connection cannot be set up (no usable key, unreadable key file, the embedded sandbox failed). */
export class ConnectionError extends Data.TaggedError("ConnectionError")<{ readonly message: string }> {}

/** The runner's data directory: `$XDG_DATA_HOME/bullseye-partner`, XDG_DATA_HOME defaulting to `~/.local/share`. */
export const dataDirectory = Effect.gen(function* () {
  const xdg = yield* Config.string("XDG_DATA_HOME").pipe(Config.option)
  const home = yield* Config.string("HOME").pipe(Config.option)
  return DataDirectory.dataDirectory({
    XDG_DATA_HOME: Option.getOrUndefined(xdg),
    HOME: Option.getOrUndefined(home)
  })
}).pipe(
  Effect.mapError((error) => new ConnectionError({ message: `Invalid configuration: ${String(error)}` }))
)

/**
 * The sandbox in this process, over the persistent store in the data directory (demo data on first run),
 * shared with the TUI: `@bullseye-partner/sandbox/Embedded` keeps a working key in `sandbox.key` (0600).
 */
const embedded = Layer.unwrapScoped(
  Effect.gen(function* () {
    const output = yield* Output
    const dataDir = yield* dataDirectory
    // Loaded only here: the sandbox and its store are heavy, and most runs talk to the real API.
    const { EmbeddedSandbox, layer } = yield* Effect.promise(
      () => import("@bullseye-partner/sandbox/Embedded")
    )
    const context = yield* Layer.build(layer({ dataDir, keyName: "bullseye-run" })).pipe(
      Effect.mapError((error) => new ConnectionError({ message: error.message }))
    )
    const { info, apiKey, store } = yield* Effect.provide(EmbeddedSandbox, context)
    yield* output.err(
      `No API key configured: using the embedded sandbox at ${info.apiBaseUrl} (store ${store}). Set BULLSEYE_API_KEY or use --profile for the real API.\n`
    )
    return WriteClient.layer({ baseUrl: info.apiBaseUrl, apiKey })
  })
)

/** PartnerClient and WriteClient from BULLSEYE_API_KEY/BULLSEYE_BASE_URL or a profile, or the embedded sandbox when no key is configured. */
export const layer = (options: { readonly profile: Option.Option<string> }) =>
  Layer.unwrapEffect(
    Effect.gen(function* () {
      const config = yield* PartnerConfig.resolve({ profile: Option.getOrUndefined(options.profile) })
      return Option.match(config.apiKey, {
        onNone: () => embedded,
        onSome: (apiKey) => WriteClient.layer({ baseUrl: config.baseUrl, apiKey })
      })
    })
  ) satisfies Layer.Layer<
    PartnerClient.PartnerClient | WriteClient.WriteClient,
    unknown,
    HttpClient.HttpClient | FileSystem.FileSystem | Path.Path | Output
  >
