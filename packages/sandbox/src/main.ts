import { runMain } from "@effect/platform-node/NodeRuntime"
import {
  Cause,
  Config,
  Effect,
  Either,
  Layer,
  Logger,
  LogLevel,
  Option,
  ParseResult,
  Redacted,
  Schema
} from "effect"
import { readFileSync } from "node:fs"
import { dirname } from "node:path"
import { parseArgs } from "node:util"
import { type CliFlag, completionScript, isShell, shells } from "./CliCompletions.js"
import {
  dataDirectory,
  keyFile,
  makePrivateDirectory,
  readSecret,
  storeFile,
  writeSecret
} from "./DataDirectory.js"
import { FaultSpec } from "./Faults.js"
import { demoSeed, emptySeed } from "./SeedOption.js"
import { type DatabaseLocation, describeLocation, parseLocation } from "./Store/DatabaseLocation.js"

const usage = `Usage: bullseye-sandbox [options]

A local, stateful Bullseye Partner API.

Options:
  --port N                  port to listen on (default 4100; 0 picks a free one)
  --host HOST               address to bind (default 127.0.0.1)
  --db PATH|:memory:|URL    SQLite file, :memory:, or postgres://... (default
                            $XDG_DATA_HOME/bullseye-partner/sandbox.db; env BULLSEYE_SANDBOX_DATABASE_URL)
  --seed demo|empty         what a first start on an empty store creates (default demo)
  --organizations N         demo organizations (default 8)
  --visitors-per-org N      demo visitors per organization (default 25)
  --rate-limit N            requests per window per partner (default 1000)
  --rate-window SECONDS     length of a rate-limit window (default 60)
  --key-file PATH           write the bootstrap key there (0600) and the control token to PATH.sandbox-token
  --new-key                 on a store that already exists, issue (and print once) a new full-access key
  --faults SPEC             fault injection: JSON, @file.json, or k=v pairs such as
                            "rate500=0.05,rate503=0.05,latency=10-200,seed=7,routes=GET /partner/me;GET /partner/organizations"
  --webhook-time-scale X    divide the webhook retry schedule by X (default 1)
  --dns simulated|system    resolver for domain verification (default simulated)
  --completions SHELL       print a completion script for bash, zsh or fish
                            (e.g. source <(bullseye-sandbox --completions bash))
  --version                 print the version
  -h, --help                show this help
`

const flags: ReadonlyArray<CliFlag> = [
  { name: "port", description: "port to listen on (0 picks a free one)", value: "text" },
  { name: "host", description: "address to bind", value: "text" },
  { name: "db", description: "SQLite file, :memory:, or postgres://...", value: "file" },
  { name: "seed", description: "what a first start on an empty store creates", value: ["demo", "empty"] },
  { name: "organizations", description: "demo organizations", value: "text" },
  { name: "visitors-per-org", description: "demo visitors per organization", value: "text" },
  { name: "rate-limit", description: "requests per window per partner", value: "text" },
  { name: "rate-window", description: "length of a rate-limit window in seconds", value: "text" },
  {
    name: "key-file",
    description: "write the bootstrap key (0600) and the control token there",
    value: "file"
  },
  { name: "new-key", description: "issue a new full-access key on an existing store" },
  { name: "faults", description: "fault injection: JSON, @file.json or k=v pairs", value: "text" },
  { name: "webhook-time-scale", description: "divide the webhook retry schedule by this", value: "text" },
  { name: "dns", description: "resolver for domain verification", value: ["simulated", "system"] },
  { name: "completions", description: "print a completion script", value: shells },
  { name: "version", description: "print the version" },
  { name: "help", short: "h", description: "show this help" }
]

const version = (): string =>
  (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string })
    .version

class UsageError extends Error {}

const integer = (
  flag: string,
  raw: string | undefined,
  fallback: number,
  min: number,
  max: number
): number => {
  if (raw === undefined) return fallback
  const value = Number(raw)
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`--${flag} must be an integer between ${min} and ${max} (got "${raw}")`)
  }
  return value
}

const positive = (flag: string, raw: string | undefined, fallback: number): number => {
  if (raw === undefined) return fallback
  const value = Number(raw)
  if (raw.trim() === "" || !Number.isFinite(value) || value <= 0 || value > 1_000_000) {
    throw new UsageError(`--${flag} must be a number greater than 0 (got "${raw}")`)
  }
  return value
}

const faultPairs = (raw: string): Record<string, unknown> => {
  const spec: Record<string, unknown> = {}
  for (const pair of raw.split(",")) {
    const [key = "", ...rest] = pair.split("=")
    const value = rest.join("=").trim()
    const name = key.trim()
    if (name === "" || value === "") throw new UsageError(`--faults: expected key=value pairs, got "${pair}"`)
    if (name === "latency" || name === "latencyMs") {
      const [min, max = min] = value.split("-").map(Number)
      spec["latencyMs"] = { min, max }
    } else if (name === "routes") {
      spec["routes"] = value.split(";").map((r) => r.trim())
    } else if (name === "afterHandler") {
      spec["afterHandler"] = value === "true"
    } else {
      spec[name] = Number(value)
    }
  }
  return spec
}

const parseFaults = (raw: string | undefined): FaultSpec | undefined => {
  if (raw === undefined) return undefined
  let input: unknown
  try {
    const text = raw.startsWith("@") ? readFileSync(raw.slice(1), "utf8") : raw
    input = text.trim().startsWith("{") ? JSON.parse(text) : faultPairs(text)
  } catch (error) {
    if (error instanceof UsageError) throw error
    throw new UsageError(`--faults: cannot read ${raw.startsWith("@") ? raw.slice(1) : "the spec"} as JSON`)
  }
  const decoded = Schema.decodeUnknownEither(FaultSpec)(input)
  if (Either.isLeft(decoded)) {
    const first = ParseResult.ArrayFormatter.formatErrorSync(decoded.left)[0]
    throw new UsageError(
      `--faults: ${first?.path.join(".") ?? ""} ${first?.message ?? "invalid"}`.replace(/\s+/g, " ")
    )
  }
  return decoded.right
}

const parse = (argv: ReadonlyArray<string>, databaseUrl: Option.Option<string>) => {
  const { values } = parseArgs({
    // `pnpm sandbox -- --port 4200` forwards the separator itself; it carries no meaning here.
    args: argv[0] === "--" ? argv.slice(1) : [...argv],
    strict: true,
    allowPositionals: false,
    options: Object.fromEntries(
      flags.map((flag) => [
        flag.name,
        {
          type: flag.value === undefined ? "boolean" : "string",
          ...(flag.short === undefined ? {} : { short: flag.short })
        }
      ])
    ) as Record<string, { type: "boolean" | "string"; short?: string }>
  })
  const text = (name: string) => {
    const value = values[name]
    return typeof value === "string" ? value : undefined
  }
  if (values["help"] === true) return { _tag: "Print" as const, text: usage }
  if (values["version"] === true) return { _tag: "Print" as const, text: `${version()}\n` }
  const shell = text("completions")
  if (shell !== undefined) {
    if (!isShell(shell)) throw new UsageError(`--completions must be bash, zsh or fish (got "${shell}")`)
    return { _tag: "Print" as const, text: completionScript(shell, "bullseye-sandbox", flags) }
  }
  const seedName = text("seed") ?? "demo"
  if (seedName !== "demo" && seedName !== "empty")
    throw new UsageError(`--seed must be demo or empty (got "${seedName}")`)
  const dns = text("dns") ?? "simulated"
  if (dns !== "simulated" && dns !== "system")
    throw new UsageError(`--dns must be simulated or system (got "${dns}")`)
  const host = text("host") ?? "127.0.0.1"
  if (host.trim() === "") throw new UsageError("--host must not be empty")
  const db = text("db") ?? Option.getOrElse(databaseUrl, () => storeFile(dataDirectory(process.env)))
  const location = parseLocation(db)
  if (location._tag === "Sqlite" && location.filename !== ":memory:")
    makePrivateDirectory(dirname(location.filename))
  return {
    _tag: "Start" as const,
    location,
    host,
    port: integer("port", text("port"), 4100, 0, 65535),
    seed:
      seedName === "empty"
        ? emptySeed
        : demoSeed({
            organizations: integer("organizations", text("organizations"), 8, 0, 1000),
            visitorsPerOrg: integer("visitors-per-org", text("visitors-per-org"), 25, 0, 1000)
          }),
    dns: dns as "simulated" | "system",
    keyFile: text("key-file"),
    newKey: values["new-key"] === true,
    faults: parseFaults(text("faults")),
    settings: {
      rateLimit: integer("rate-limit", text("rate-limit"), 1000, 1, 10_000_000),
      rateWindowSeconds: integer("rate-window", text("rate-window"), 60, 1, 86_400),
      webhookTimeScale: positive("webhook-time-scale", text("webhook-time-scale"), 1)
    }
  }
}

const describeFailure = (cause: Cause.Cause<unknown>): string => {
  const error = Cause.squash(cause)
  if (typeof error === "object" && error !== null && "_tag" in error) {
    if (error._tag === "DatabaseError" && "message" in error) return String(error.message)
    if (error._tag === "ServeError") {
      const inner = "cause" in error ? error.cause : undefined
      const code = typeof inner === "object" && inner !== null && "code" in inner ? String(inner.code) : ""
      return code === "EADDRINUSE"
        ? "The port is already in use (choose another with --port)"
        : `Cannot start the HTTP server${code === "" ? "" : ` (${code})`}`
    }
  }
  return error instanceof Error ? error.message : String(error)
}

/** Where a key for this store may have been written: --key-file, and the TUI's and runner's file beside the store. */
const keyFileCandidates = (options: {
  readonly keyFile: string | undefined
  readonly location: DatabaseLocation
}): ReadonlyArray<string> => [
  ...(options.keyFile === undefined ? [] : [options.keyFile]),
  ...(options.location._tag === "Sqlite" && options.location.filename !== ":memory:"
    ? [keyFile(dirname(options.location.filename))]
    : [])
]

const program = Effect.gen(function* () {
  const databaseUrl = yield* Config.option(Config.string("BULLSEYE_SANDBOX_DATABASE_URL"))
  const options = yield* Effect.try({
    try: () => parse(process.argv.slice(2), databaseUrl),
    catch: (error) => error
  })
  if (options._tag === "Print") {
    process.stdout.write(options.text)
    return
  }
  // Loaded only now, so that --help and flag errors answer without loading the server.
  const [{ SandboxInfo, layer: sandboxLayer }, { ApiKeys }, { SandboxClock }] = yield* Effect.promise(() =>
    Promise.all([import("./Sandbox.js"), import("./Store/ApiKeys.js"), import("./SandboxClock.js")])
  )
  // The first of the files that holds a key this store accepts (a file may be stale: keys get revoked).
  const workingKeyFile = (files: ReadonlyArray<string>) =>
    Effect.gen(function* () {
      const keys = yield* ApiKeys
      const now = yield* Effect.flatMap(SandboxClock, (clock) => clock.now)
      for (const file of files) {
        const key = yield* Effect.try(() => readSecret(file)).pipe(Effect.orElseSucceed(() => undefined))
        if (key !== undefined && Option.isSome(yield* keys.authenticate(Redacted.make(key), now))) return file
      }
      return undefined
    })
  yield* Layer.launch(
    Layer.effectDiscard(
      Effect.gen(function* () {
        const info = yield* SandboxInfo
        const token = Redacted.value(info.controlToken)
        const issued = Option.getOrUndefined(info.bootstrapped)
        const key = issued === undefined ? undefined : Redacted.value(issued.apiKey)
        // The files first: a script that waits for the listening line can read them at once.
        if (options.keyFile !== undefined) {
          if (key !== undefined) writeSecret(options.keyFile, key)
          writeSecret(`${options.keyFile}.sandbox-token`, token)
        }
        process.stdout.write(`Sandbox listening on ${info.apiBaseUrl}\n`)
        if (issued !== undefined) {
          const what = issued.firstStart ? "Bootstrap API key" : "New API key"
          process.stdout.write(
            `${what} (shown once, stored only as a hash): ${Redacted.value(issued.apiKey)}\n`
          )
        } else {
          const file = yield* workingKeyFile(keyFileCandidates(options))
          process.stdout.write(
            file === undefined
              ? "API key: shown once at this store's first start (start with --new-key to issue another)\n"
              : `API key: in ${file} (start with --new-key to issue another)\n`
          )
        }
        process.stdout.write(`Control-plane token (header X-Sandbox-Token): ${token}\n`)
        process.stdout.write(
          `Store: ${describeLocation(options.location)} · API reference: ${info.origin}/docs\n`
        )
      })
    ).pipe(Layer.provide(sandboxLayer({ database: options.location, ...options })))
  )
}).pipe(
  Effect.catchAllCause((cause) =>
    Cause.isInterruptedOnly(cause)
      ? Effect.void
      : Effect.sync(() => {
          const error = Cause.squash(cause)
          const usageError =
            error instanceof UsageError ||
            (error instanceof Error && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS"))
          const message = error instanceof Error && usageError ? error.message : describeFailure(cause)
          const oneLine = message.replace(/\s*\n\s*/g, " ")
          process.stderr.write(`Error: ${oneLine}${usageError ? " (see bullseye-sandbox --help)" : ""}\n`)
          process.exitCode = usageError ? 2 : 1
        })
  ),
  Effect.provide(Logger.replace(Logger.defaultLogger, Logger.withConsoleError(Logger.logfmtLogger))),
  Logger.withMinimumLogLevel(LogLevel.Warning)
)

runMain(program, { disableErrorReporting: true })
