// The sandbox inside an app's own process (the TUI and the runner without an API key): one store and one
// key file in the user's data directory, shared by every app and by `bullseye-sandbox`'s default store.
import { Context, Data, Effect, Layer, Option, Redacted } from "effect"
import { keyFile, makePrivateDirectory, readSecret, storeFile, writeSecret } from "./DataDirectory.js"
import { issueKey } from "./Bootstrap.js"
import { layer as sandboxLayer, SandboxInfo } from "./Sandbox.js"
import { SandboxClock } from "./SandboxClock.js"
import { demoSeed } from "./SeedOption.js"
import { ApiKeys } from "./Store/ApiKeys.js"

/** The embedded sandbox could not start; the message is one actionable line. */
export class EmbeddedSandboxError extends Data.TaggedError("EmbeddedSandboxError")<{
  readonly message: string
}> {}

/** A running embedded sandbox and a working full-access key for it. */
export class EmbeddedSandbox extends Context.Tag("@bullseye-partner/sandbox/EmbeddedSandbox")<
  EmbeddedSandbox,
  {
    readonly info: Context.Tag.Service<SandboxInfo>
    readonly apiKey: Redacted.Redacted<string>
    readonly store: string
  }
>() {}

// The bootstrap key exists only at the first start; later starts read it back from the key file, and a
// lost or revoked key is replaced by a new one minted directly in the store (which only holds hashes).
const keyOf = (file: string, keyName: string) =>
  Effect.gen(function* () {
    const info = yield* SandboxInfo
    if (Option.isSome(info.bootstrapped)) {
      const key = info.bootstrapped.value.apiKey
      writeSecret(file, Redacted.value(key))
      return key
    }
    const keys = yield* ApiKeys
    const now = yield* Effect.flatMap(SandboxClock, (clock) => clock.now)
    const stored = Option.map(Option.fromNullable(readSecret(file)), Redacted.make)
    if (Option.isSome(stored) && Option.isSome(yield* keys.authenticate(stored.value, now))) {
      return stored.value
    }
    const issued = yield* issueKey(keyName)
    if (Option.isNone(issued)) {
      return yield* new EmbeddedSandboxError({ message: "The sandbox store holds no partner" })
    }
    writeSecret(file, Redacted.value(issued.value.apiKey))
    return issued.value.apiKey
  })

/**
 * Starts the sandbox in this process on 127.0.0.1 (a free port) over the SQLite store in `dataDir`, demo
 * data on the first start, with a key kept in `dataDir/sandbox.key`. `keyName` names a key minted to
 * replace a lost or revoked one.
 */
export const layer = (options: {
  readonly dataDir: string
  readonly keyName: string
}): Layer.Layer<EmbeddedSandbox, EmbeddedSandboxError> => {
  const store = storeFile(options.dataDir)
  const prepare = Effect.try({
    try: () => makePrivateDirectory(options.dataDir),
    catch: () => new EmbeddedSandboxError({ message: `Cannot create the data directory ${options.dataDir}` })
  })
  const sandbox = sandboxLayer({
    database: { _tag: "Sqlite", filename: store },
    host: "127.0.0.1",
    port: 0,
    seed: demoSeed(),
    dns: "simulated"
  }).pipe(
    Layer.mapError(
      (error) =>
        new EmbeddedSandboxError({
          message: `Cannot start the embedded sandbox: ${error instanceof Error ? error.message : String(error)}`
        })
    )
  )
  const embedded = Layer.effect(
    EmbeddedSandbox,
    Effect.gen(function* () {
      const info = yield* SandboxInfo
      const apiKey = yield* keyOf(keyFile(options.dataDir), options.keyName).pipe(
        Effect.catchTag(
          "SqlError",
          () => new EmbeddedSandboxError({ message: "Cannot read the sandbox store" })
        )
      )
      return { info, apiKey, store }
    })
  )
  return Layer.unwrapEffect(Effect.as(prepare, embedded.pipe(Layer.provide(sandbox))))
}
