import { ControlTokenHeader } from "@bullseye-partner/sandbox/Http/ControlToken"
import { layer as sandboxLayer, SandboxInfo } from "@bullseye-partner/sandbox/Sandbox"
import { SandboxClock } from "@bullseye-partner/sandbox/SandboxClock"
import { demoSeed } from "@bullseye-partner/sandbox/SeedOption"
import { ApiKeys as KeyStore } from "@bullseye-partner/sandbox/Store/ApiKeys"
import { Partners } from "@bullseye-partner/sandbox/Store/Partners"
import { Data, Effect, Layer, Option, Redacted } from "effect"
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { ConnectionTag } from "./AppLayer.js"
import type { SandboxControl } from "./Session.js"

/** Where the embedded sandbox keeps its store and key, and how the TUI uses it. */
export interface EmbeddedOptions {
  /** The user's data directory for this app, e.g. `$XDG_DATA_HOME/bullseye-partner`. */
  readonly dataDir: string
  readonly readOnly: boolean
}

/** The embedded sandbox could not start; the message is one actionable line. */
export class EmbeddedSandboxError extends Data.TaggedError("EmbeddedSandboxError")<{
  readonly message: string
}> {}

/** The store file, as `bullseye-sandbox` names it by default. */
export const databaseFile = (dataDir: string) => join(dataDir, "sandbox.db")
/** The key file, written like `bullseye-sandbox --key-file` writes it (the key and a newline, mode 0600). */
export const keyFile = (dataDir: string) => join(dataDir, "sandbox.key")

const writeSecret = (path: string, value: string) => {
  writeFileSync(path, `${value}\n`, { mode: 0o600 })
  chmodSync(path, 0o600)
}

const readSecret = (path: string): Option.Option<Redacted.Redacted<string>> => {
  if (!existsSync(path)) return Option.none()
  const value = readFileSync(path, "utf8").trim()
  return value === "" ? Option.none() : Option.some(Redacted.make(value))
}

// The bootstrap key exists only at the first start; later starts read it back, and a lost or revoked
// key is replaced by a new one minted directly in the store (which only ever holds hashes).
const keyOf = (file: string) =>
  Effect.gen(function* () {
    const info = yield* SandboxInfo
    if (Option.isSome(info.bootstrapped)) {
      const key = info.bootstrapped.value.apiKey
      writeSecret(file, Redacted.value(key))
      return key
    }
    const keys = yield* KeyStore
    const now = yield* Effect.flatMap(SandboxClock, (clock) => clock.now)
    const stored = readSecret(file)
    if (Option.isSome(stored) && Option.isSome(yield* keys.authenticate(stored.value, now))) {
      return stored.value
    }
    const partnerId = (yield* Effect.flatMap(Partners, (p) => p.ids))[0]
    if (partnerId === undefined) {
      return yield* new EmbeddedSandboxError({ message: "The sandbox store holds no partner" })
    }
    const created = yield* keys.create(partnerId, { name: "bullseye-tui" }, now)
    writeSecret(file, Redacted.value(created.plainKey))
    return created.plainKey
  })

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
export const layer = (options: EmbeddedOptions): Layer.Layer<ConnectionTag, EmbeddedSandboxError> => {
  const prepare = Effect.try({
    try: () => mkdirSync(options.dataDir, { recursive: true, mode: 0o700 }),
    catch: () => new EmbeddedSandboxError({ message: `Cannot create the data directory ${options.dataDir}` })
  })
  const sandbox = sandboxLayer({
    database: { _tag: "Sqlite", filename: databaseFile(options.dataDir) },
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
  const connection = Layer.effect(
    ConnectionTag,
    Effect.gen(function* () {
      const info = yield* SandboxInfo
      const apiKey = yield* keyOf(keyFile(options.dataDir)).pipe(
        Effect.catchTag(
          "SqlError",
          () => new EmbeddedSandboxError({ message: "Cannot read the sandbox store" })
        )
      )
      return {
        baseUrl: info.apiBaseUrl,
        apiKey,
        mode: "sandbox" as const,
        profile: undefined,
        readOnly: options.readOnly,
        sandboxControl: controlOf(info.origin, info.controlToken)
      }
    })
  )
  return Layer.unwrapEffect(Effect.as(prepare, connection.pipe(Layer.provide(sandbox))))
}
