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
import { dataDirectory, makePrivateDirectory, storeFile, writeSecret } from "./DataDirectory.js"
import { FaultSpec } from "./Faults.js"
import { demoSeed, emptySeed } from "./SeedOption.js"
import { describeLocation, parseLocation } from "./Store/DatabaseLocation.js"

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
  -h, --help                show this help
`

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
    options: {
      port: { type: "string" },
      host: { type: "string" },
      db: { type: "string" },
      seed: { type: "string" },
      organizations: { type: "string" },
      "visitors-per-org": { type: "string" },
      "rate-limit": { type: "string" },
      "rate-window": { type: "string" },
      "key-file": { type: "string" },
      "new-key": { type: "boolean" },
      faults: { type: "string" },
      "webhook-time-scale": { type: "string" },
      dns: { type: "string" },
      help: { type: "boolean", short: "h" }
    }
  })
  if (values.help === true) return undefined
  const seedName = values.seed ?? "demo"
  if (seedName !== "demo" && seedName !== "empty")
    throw new UsageError(`--seed must be demo or empty (got "${seedName}")`)
  const dns = values.dns ?? "simulated"
  if (dns !== "simulated" && dns !== "system")
    throw new UsageError(`--dns must be simulated or system (got "${dns}")`)
  const host = values.host ?? "127.0.0.1"
  if (host.trim() === "") throw new UsageError("--host must not be empty")
  const db = values.db ?? Option.getOrElse(databaseUrl, () => storeFile(dataDirectory(process.env)))
  const location = parseLocation(db)
  if (location._tag === "Sqlite" && location.filename !== ":memory:")
    makePrivateDirectory(dirname(location.filename))
  return {
    location,
    host,
    port: integer("port", values.port, 4100, 0, 65535),
    seed:
      seedName === "empty"
        ? emptySeed
        : demoSeed({
            organizations: integer("organizations", values.organizations, 8, 0, 1000),
            visitorsPerOrg: integer("visitors-per-org", values["visitors-per-org"], 25, 0, 1000)
          }),
    dns: dns as "simulated" | "system",
    keyFile: values["key-file"],
    newKey: values["new-key"] === true,
    faults: parseFaults(values.faults),
    settings: {
      rateLimit: integer("rate-limit", values["rate-limit"], 1000, 1, 10_000_000),
      rateWindowSeconds: integer("rate-window", values["rate-window"], 60, 1, 86_400),
      webhookTimeScale: positive("webhook-time-scale", values["webhook-time-scale"], 1)
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

const program = Effect.gen(function* () {
  const databaseUrl = yield* Config.option(Config.string("BULLSEYE_SANDBOX_DATABASE_URL"))
  const options = yield* Effect.try({
    try: () => parse(process.argv.slice(2), databaseUrl),
    catch: (error) => error
  })
  if (options === undefined) {
    process.stdout.write(usage)
    return
  }
  // Loaded only now, so that --help and flag errors answer without loading the server.
  const { SandboxInfo, layer: sandboxLayer } = yield* Effect.promise(() => import("./Sandbox.js"))
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
          process.stdout.write(
            "API key: shown at this store's first start only (start with --new-key to issue another)\n"
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
