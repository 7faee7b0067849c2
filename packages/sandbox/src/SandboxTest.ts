import { SqlClient } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import { Context, Effect, Layer, Option, Redacted, type Scope } from "effect"
import { emptySeed, type SeedOption } from "./SeedOption.js"
import type { FaultSpec } from "./Faults.js"
import { ControlTokenHeader } from "./Http/ControlToken.js"
import { SandboxInfo, layer as sandboxLayer } from "./Sandbox.js"
import type { SandboxSettings } from "./SandboxConfig.js"
import type { DatabaseLocation } from "./Store/DatabaseLocation.js"

/** How to start a sandbox for a test suite. */
export interface SandboxTestOptions {
  /** In-memory SQLite by default. */
  readonly database?: DatabaseLocation | undefined
  /** Drop the PostgreSQL schema of `database` when the sandbox stops. */
  readonly dropSchemaOnClose?: boolean | undefined
  /** Empty (partner and key only) by default. */
  readonly seed?: SeedOption | undefined
  readonly settings?: Partial<SandboxSettings> | undefined
  readonly faults?: FaultSpec | undefined
}

/** A partner created through the control plane. */
export interface TestPartner {
  readonly partnerId: string
  readonly apiKey: Redacted.Redacted<string>
}

/** A sandbox running in-process on a free port, for tests of the SDK, the TUI and the runner. */
export interface SandboxHandle {
  /** `http://127.0.0.1:<port>/api/v1` */
  readonly baseUrl: string
  readonly origin: string
  /** The full-access key of the partner created at start ("Demo Partner"); invalid after `reset`. */
  readonly apiKey: Redacted.Redacted<string>
  readonly partnerId: string
  readonly controlToken: Redacted.Redacted<string>
  /** Wipes the store and bootstraps again; the returned key replaces `apiKey`. */
  readonly reset: (body?: {
    readonly seed?: "demo" | "empty" | number
    readonly organizations?: number
    readonly visitorsPerOrg?: number
  }) => Effect.Effect<TestPartner>
  /** Another partner with its own pool and key (for isolation tests). */
  readonly createPartner: (body?: {
    readonly name?: string
    readonly creditPoolTotal?: number
    readonly maxOrganizations?: number
    readonly maxIdentificationsPerOrg?: number
  }) => Effect.Effect<TestPartner>
  /** Any control-plane call (`/_sandbox/...`); dies unless the answer is 2xx. */
  readonly control: (method: string, path: string, body?: unknown) => Effect.Effect<unknown>
}

/** The sandbox of the current test suite. */
export class SandboxTest extends Context.Tag("@bullseye-partner/sandbox/SandboxTest")<
  SandboxTest,
  SandboxHandle
>() {
  static layer = (options: SandboxTestOptions = {}): Layer.Layer<SandboxTest> =>
    Layer.scoped(SandboxTest, make(options))
}

// Runs after the sandbox has stopped (its dispatcher included), on a connection of its own.
const dropSchemaAtEnd = (location: DatabaseLocation) =>
  location._tag === "Postgres" && location.schema !== undefined
    ? Effect.addFinalizer(() =>
        Effect.flatMap(SqlClient.SqlClient, (sql) =>
          sql.unsafe(`DROP SCHEMA IF EXISTS ${location.schema} CASCADE`)
        ).pipe(Effect.provide(PgClient.layer({ url: location.url })), Effect.ignore)
      )
    : Effect.void

/** Starts a sandbox for the lifetime of the scope. */
export const make = (options: SandboxTestOptions = {}): Effect.Effect<SandboxHandle, never, Scope.Scope> =>
  Effect.gen(function* () {
    const database = options.database ?? { _tag: "Sqlite", filename: ":memory:" }
    const base = sandboxLayer({
      database,
      host: "127.0.0.1",
      port: 0,
      seed: options.seed ?? emptySeed,
      dns: "simulated",
      settings: options.settings,
      faults: options.faults
    })
    if (options.dropSchemaOnClose === true) yield* dropSchemaAtEnd(database)
    const context = yield* Layer.build(base).pipe(Effect.orDie)
    const info = Context.get(context, SandboxInfo)
    const token = Redacted.value(info.controlToken)

    const control = (method: string, path: string, body?: unknown) =>
      Effect.tryPromise(async () => {
        const response = await fetch(`${info.origin}/_sandbox${path}`, {
          method,
          headers: { [ControlTokenHeader]: token, "content-type": "application/json" },
          ...(body === undefined ? {} : { body: JSON.stringify(body) })
        })
        const text = await response.text()
        if (!response.ok) throw new Error(`${method} /_sandbox${path} answered ${response.status}: ${text}`)
        return text === "" ? undefined : (JSON.parse(text) as unknown)
      }).pipe(Effect.orDie)

    const partnerOf = (u: unknown): TestPartner => {
      if (typeof u === "object" && u !== null && "partnerId" in u && "apiKey" in u) {
        return { partnerId: String(u.partnerId), apiKey: Redacted.make(String(u.apiKey)) }
      }
      throw new Error("The control plane answered without partnerId and apiKey")
    }

    const createPartner: SandboxHandle["createPartner"] = (body = {}) =>
      Effect.map(control("POST", "/partners", body), partnerOf)

    const first = Option.isSome(info.bootstrapped)
      ? info.bootstrapped.value
      : yield* createPartner({ name: "Test Partner" })

    return {
      baseUrl: info.apiBaseUrl,
      origin: info.origin,
      apiKey: first.apiKey,
      partnerId: first.partnerId,
      controlToken: info.controlToken,
      reset: (body = {}) => Effect.map(control("POST", "/reset", body), partnerOf),
      createPartner,
      control
    } satisfies SandboxHandle
  })
