import * as PartnerClient from "@bullseye-partner/core/PartnerClient"
import * as PartnerConfig from "@bullseye-partner/core/PartnerConfig"
import { FileSystem, HttpClient, Path } from "@effect/platform"
import { Config, Data, Effect, Layer, Option, Redacted } from "effect"
import { Output } from "./Output.js"
import * as WriteClient from "./WriteClient.js"

/** The connection cannot be set up (no usable key, unreadable key file, the embedded sandbox failed). */
export class ConnectionError extends Data.TaggedError("ConnectionError")<{ readonly message: string }> {}

/** The runner's data directory: `$XDG_DATA_HOME/bullseye-partner`, XDG_DATA_HOME defaulting to `~/.local/share`. */
export const dataDirectory = Effect.gen(function* () {
  const path = yield* Path.Path
  const xdg = yield* Config.string("XDG_DATA_HOME").pipe(Config.option)
  const home = yield* Config.string("HOME").pipe(Config.withDefault("."))
  const base = Option.filter(xdg, (d) => d.trim() !== "" && path.isAbsolute(d)).pipe(
    Option.getOrElse(() => path.join(home, ".local", "share"))
  )
  return path.join(base, "bullseye-partner")
}).pipe(
  Effect.mapError((error) => new ConnectionError({ message: `Invalid configuration: ${String(error)}` }))
)

/** Writes a secret file readable only by the user (0600), as the sandbox's `--key-file` does. */
const writeSecret = (file: string, value: string) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    yield* fs.makeDirectory(path.dirname(file), { recursive: true, mode: 0o700 })
    yield* fs.writeFileString(file, `${value}\n`, { mode: 0o600 })
    yield* fs.chmod(file, 0o600)
  })

/**
 * The sandbox in this process, over a persistent store in the data directory (demo data on first run). Its
 * bootstrap key is shown once, so it is kept in `sandbox.key` (0600) next to the store for later runs.
 */
const embedded = Layer.unwrapScoped(
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const output = yield* Output
    const dir = yield* dataDirectory
    yield* fs.makeDirectory(dir, { recursive: true, mode: 0o700 })
    const store = path.join(dir, "sandbox.db")
    const keyFile = path.join(dir, "sandbox.key")
    // Loaded only here: the sandbox and its store are heavy, and most runs talk to the real API.
    const { SandboxInfo, layer: sandboxLayer } = yield* Effect.promise(
      () => import("@bullseye-partner/sandbox/Sandbox")
    )
    const { demoSeed } = yield* Effect.promise(() => import("@bullseye-partner/sandbox/SeedOption"))
    const context = yield* Layer.build(
      sandboxLayer({
        database: { _tag: "Sqlite", filename: store },
        host: "127.0.0.1",
        port: 0,
        seed: demoSeed(),
        dns: "simulated"
      })
    )
    const info = yield* SandboxInfo.pipe(Effect.provide(context))
    let apiKey: Redacted.Redacted<string>
    if (Option.isSome(info.bootstrapped)) {
      apiKey = info.bootstrapped.value.apiKey
      yield* writeSecret(keyFile, Redacted.value(apiKey))
      yield* writeSecret(`${keyFile}.sandbox-token`, Redacted.value(info.controlToken))
    } else {
      const saved = yield* fs.readFileString(keyFile).pipe(
        Effect.mapError(
          () =>
            new ConnectionError({
              message: `The embedded sandbox's key file ${keyFile} is missing; remove ${store} to start over, or set BULLSEYE_API_KEY`
            })
        )
      )
      apiKey = Redacted.make(saved.trim())
    }
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
