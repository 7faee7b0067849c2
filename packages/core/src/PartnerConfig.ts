import { FileSystem, Path } from "@effect/platform"
import type { PlatformError } from "@effect/platform/Error"
import {
  Config,
  type ConfigError,
  Context,
  Effect,
  Layer,
  Option,
  ParseResult,
  Redacted,
  Schema,
  SchemaAST
} from "effect"
import { hex } from "./internal/hex.js"

/** The base URL used when neither the environment nor the profile names one. */
export const defaultBaseUrl = "https://api.app.bullseye.so/api/v1"

const profileNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/

const isHttpUrl = (s: string): boolean => {
  try {
    const url = new URL(s)
    return url.protocol === "https:" || url.protocol === "http:"
  } catch {
    return false
  }
}

const HttpUrl = Schema.String.pipe(
  Schema.filter(isHttpUrl, { description: "an absolute http(s) URL" }),
  // A trailing slash would double the separator when paths are appended.
  Schema.transform(Schema.String, { strict: true, decode: (s) => s.replace(/\/+$/, ""), encode: (s) => s })
)

/** One saved profile: its key and, when not the production API, its base URL. */
export const Profile = Schema.Struct({
  apiKey: Schema.Redacted(Schema.NonEmptyString),
  baseUrl: Schema.optional(HttpUrl)
}).annotations({ identifier: "Profile", description: "an object with apiKey and optional baseUrl" })
export type Profile = typeof Profile.Type

/**
 * The profiles file, `{ "defaultProfile"?: string, "profiles"?: { "<name>": { "apiKey": string, "baseUrl"?: string } } }`;
 * fields this version does not know are kept when the file is rewritten.
 */
export const ConfigFile = Schema.Struct({
  defaultProfile: Schema.optional(Schema.String),
  profiles: Schema.optionalWith(
    Schema.Record({ key: Schema.String, value: Profile }).annotations({
      description: "an object mapping profile names to profiles"
    }),
    { default: () => ({}) }
  )
}).annotations({
  identifier: "ConfigFile",
  description: "an object with optional defaultProfile and profiles"
})
export type ConfigFile = typeof ConfigFile.Type

/** Why the configuration could not be resolved or saved; the message is one actionable line without the key. */
export class PartnerConfigError extends Schema.TaggedError<PartnerConfigError>()("PartnerConfigError", {
  reason: Schema.Literal(
    "UnknownProfile",
    "InvalidProfileName",
    "InvalidValue",
    "MalformedFile",
    "NoConfigDirectory",
    "FileSystem"
  ),
  message: Schema.String,
  file: Schema.optional(Schema.String),
  knownProfiles: Schema.optional(Schema.Array(Schema.String))
}) {}

/** The configuration a client runs with, and where it came from. */
export interface ResolvedPartnerConfig {
  readonly apiKey: Option.Option<Redacted.Redacted<string>>
  readonly baseUrl: string
  readonly profile: Option.Option<string>
  readonly source: "env" | "profile" | "none"
}

/** The resolved configuration of the process. */
export class PartnerConfig extends Context.Tag("@bullseye-partner/core/PartnerConfig")<
  PartnerConfig,
  ResolvedPartnerConfig
>() {}

const text = (name: string) =>
  Config.string(name).pipe(
    Config.map((s) => s.trim()),
    Config.option,
    Config.map(Option.filter((s) => s !== ""))
  )

const environment = Config.all({
  apiKey: Config.redacted("BULLSEYE_API_KEY").pipe(
    Config.option,
    Config.map(Option.filter((key) => Redacted.value(key).trim() !== ""))
  ),
  baseUrl: text("BULLSEYE_BASE_URL"),
  profile: text("BULLSEYE_PROFILE"),
  xdgConfigHome: text("XDG_CONFIG_HOME"),
  home: text("HOME")
})

const fromConfigError = (error: ConfigError.ConfigError) =>
  new PartnerConfigError({ reason: "InvalidValue", message: `Invalid configuration: ${String(error)}` })

const readEnvironment = Effect.mapError(environment, fromConfigError)

const fileSystemError = (action: string, file: string) => (error: PlatformError) =>
  new PartnerConfigError({
    reason: "FileSystem",
    message: `Cannot ${action} ${file}: ${error._tag === "SystemError" ? error.reason : error.message}`,
    file
  })

const locate = (env: {
  readonly xdgConfigHome: Option.Option<string>
  readonly home: Option.Option<string>
}) =>
  Effect.gen(function* () {
    const path = yield* Path.Path
    // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
    const base = Option.filter(env.xdgConfigHome, (dir) => path.isAbsolute(dir)).pipe(
      Option.orElse(() => Option.map(env.home, (home) => path.join(home, ".config")))
    )
    return Option.map(base, (dir) => path.join(dir, "bullseye-partner", "config.json"))
  })

const noConfigDirectory = new PartnerConfigError({
  reason: "NoConfigDirectory",
  message: "Cannot locate the profiles file: set XDG_CONFIG_HOME or HOME"
})

/** The profiles file: `$XDG_CONFIG_HOME/bullseye-partner/config.json`, XDG_CONFIG_HOME defaulting to `$HOME/.config`. */
export const configFile: Effect.Effect<string, PartnerConfigError, Path.Path> = Effect.flatMap(
  readEnvironment,
  (env) =>
    Effect.flatMap(
      locate(env),
      Option.match({ onNone: () => Effect.fail(noConfigDirectory), onSome: Effect.succeed })
    )
)

const formatPath = (path: ReadonlyArray<PropertyKey>) =>
  path
    .map((key, i) => (typeof key === "number" ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`))
    .join("")

const expected = (ast: SchemaAST.AST) =>
  `expected ${Option.getOrElse(SchemaAST.getDescriptionAnnotation(ast), () =>
    SchemaAST.isTypeLiteral(ast) ? "an object" : String(ast)
  )}`

// Describes the first problem without the offending value, which may be the key.
const firstProblem = (
  issue: ParseResult.ParseIssue,
  path: ReadonlyArray<PropertyKey>
): { readonly path: ReadonlyArray<PropertyKey>; readonly problem: string } => {
  switch (issue._tag) {
    case "Pointer":
      return firstProblem(issue.issue, [...path, ...(Array.isArray(issue.path) ? issue.path : [issue.path])])
    case "Composite":
      return firstProblem("_tag" in issue.issues ? issue.issues : issue.issues[0], path)
    case "Refinement":
      return issue.kind === "From" ? firstProblem(issue.issue, path) : { path, problem: expected(issue.ast) }
    case "Transformation":
      return firstProblem(issue.issue, path)
    case "Missing":
      return { path, problem: "is missing" }
    case "Unexpected":
      return { path, problem: "is not allowed" }
    case "Type":
    case "Forbidden":
      return { path, problem: expected(issue.ast) }
  }
}

const malformed = (file: string, problem: string) =>
  new PartnerConfigError({
    reason: "MalformedFile",
    message: `${file} is malformed: ${problem}; fix it or remove it to start over`,
    file
  })

// V8's own message quotes the text around the error, which may be the key: keep only the position.
const jsonPosition = (error: unknown): string => {
  const message = error instanceof Error ? error.message : ""
  const lineColumn = /line (\d+) column (\d+)/.exec(message)
  if (lineColumn) return ` at line ${lineColumn[1]} column ${lineColumn[2]}`
  const position = /position (\d+)/.exec(message)
  return position ? ` at position ${position[1]}` : ""
}

const decodeFile = Schema.decodeUnknown(ConfigFile, { onExcessProperty: "preserve" })
const encodeFile = Schema.encode(ConfigFile, { onExcessProperty: "preserve" })

const parseFile = (file: string, content: string) =>
  (content.trim() === ""
    ? Effect.fail(malformed(file, "the file is empty"))
    : Effect.try({
        try: (): unknown => JSON.parse(content),
        catch: (error) => malformed(file, `not valid JSON${jsonPosition(error)}`)
      })
  ).pipe(
    Effect.flatMap((json) =>
      Effect.mapError(decodeFile(json), (error) => {
        const { path, problem } = firstProblem(error.issue, [])
        return malformed(file, path.length === 0 ? problem : `${formatPath(path)} ${problem}`)
      })
    )
  )

const emptyFile: ConfigFile = { profiles: {} }

const load = (file: string) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const content = yield* fs.readFileString(file).pipe(
      Effect.map(Option.some),
      Effect.catchIf(
        (error) => error._tag === "SystemError" && error.reason === "NotFound",
        () => Effect.succeedNone
      ),
      Effect.mapError(fileSystemError("read", file))
    )
    return Option.isSome(content) ? yield* parseFile(file, content.value) : emptyFile
  })

const namesOf = (config: ConfigFile) => Object.keys(config.profiles).sort()

const lookup = (config: ConfigFile, profile: string): Option.Option<Profile> =>
  Object.hasOwn(config.profiles, profile) ? Option.fromNullable(config.profiles[profile]) : Option.none()

const unknownProfile = (file: string, config: ConfigFile, profile: string, selectedBy: string) => {
  const known = namesOf(config)
  const listing =
    known.length === 0
      ? `no profiles are saved in ${file}`
      : `known profiles: ${known.join(", ")} (in ${file})`
  return new PartnerConfigError({
    reason: "UnknownProfile",
    message: `Unknown profile "${profile}"${selectedBy}; ${listing}`,
    file,
    knownProfiles: known
  })
}

const fromProfile = (file: string, config: ConfigFile, profile: string, selectedBy: string) =>
  Option.match(lookup(config, profile), {
    onNone: () => Effect.fail(unknownProfile(file, config, profile, selectedBy)),
    onSome: (found): Effect.Effect<ResolvedPartnerConfig> =>
      Effect.succeed({
        apiKey: Option.some(found.apiKey),
        baseUrl: found.baseUrl ?? defaultBaseUrl,
        profile: Option.some(profile),
        source: "profile"
      })
  })

const decodeBaseUrl = Schema.decodeUnknown(HttpUrl)

const environmentBaseUrl = (baseUrl: Option.Option<string>) =>
  Option.match(baseUrl, {
    onNone: () => Effect.succeed(defaultBaseUrl),
    onSome: (url) =>
      Effect.mapError(
        decodeBaseUrl(url),
        () =>
          new PartnerConfigError({
            reason: "InvalidValue",
            message: "BULLSEYE_BASE_URL is not an absolute http(s) URL"
          })
      )
  })

/** Options of `resolve` and `layer`. */
export interface ResolveOptions {
  /** A profile chosen explicitly (e.g. a `--profile` flag); it wins over every other source. */
  readonly profile?: string | undefined
}

/**
 * Resolves the configuration: explicit profile > BULLSEYE_PROFILE > BULLSEYE_API_KEY/BULLSEYE_BASE_URL >
 * the file's defaultProfile > none.
 */
export const resolve = Effect.fn("PartnerConfig.resolve")(function* (
  options?: ResolveOptions
): Effect.fn.Return<ResolvedPartnerConfig, PartnerConfigError, FileSystem.FileSystem | Path.Path> {
  const env = yield* readEnvironment
  const explicit = Option.fromNullable(options?.profile).pipe(Option.filter((p) => p.trim() !== ""))
  const selected = Option.isSome(explicit)
    ? Option.some({ profile: explicit.value, by: "" })
    : Option.map(env.profile, (profile) => ({ profile, by: " (from BULLSEYE_PROFILE)" }))
  const file = yield* locate(env)
  if (Option.isSome(selected)) {
    if (Option.isNone(file)) return yield* noConfigDirectory
    const config = yield* load(file.value)
    return yield* fromProfile(file.value, config, selected.value.profile, selected.value.by)
  }
  if (Option.isSome(env.apiKey) || Option.isSome(env.baseUrl)) {
    const baseUrl = yield* environmentBaseUrl(env.baseUrl)
    return { apiKey: env.apiKey, baseUrl, profile: Option.none(), source: "env" as const }
  }
  const none: ResolvedPartnerConfig = {
    apiKey: Option.none(),
    baseUrl: defaultBaseUrl,
    profile: Option.none(),
    source: "none"
  }
  if (Option.isNone(file)) return none
  const config = yield* load(file.value)
  return config.defaultProfile === undefined
    ? none
    : yield* fromProfile(file.value, config, config.defaultProfile, ` (the defaultProfile of ${file.value})`)
})

/** A PartnerConfig layer resolved from Effect `Config` and the profiles file (needs FileSystem and Path). */
export const layer = (options?: ResolveOptions) => Layer.effect(PartnerConfig, resolve(options))

/** The saved profile names (sorted), the default one and the file they live in. */
export const listProfiles: Effect.Effect<
  {
    readonly file: string
    readonly names: ReadonlyArray<string>
    readonly defaultProfile: Option.Option<string>
  },
  PartnerConfigError,
  FileSystem.FileSystem | Path.Path
> = Effect.gen(function* () {
  const file = yield* configFile
  const config = yield* load(file)
  return { file, names: namesOf(config), defaultProfile: Option.fromNullable(config.defaultProfile) }
})

const writeAtomically = (file: string, config: ConfigFile) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const encoded = yield* Effect.orDie(encodeFile(config))
    const bytes = new TextEncoder().encode(`${JSON.stringify(encoded, null, 2)}\n`)
    const dir = path.dirname(file)
    const temp = path.join(
      dir,
      `.${path.basename(file)}.${hex(crypto.getRandomValues(new Uint8Array(6)))}.tmp`
    )
    // Modes are set again after creation because the umask may have narrowed or widened them.
    yield* fs.makeDirectory(dir, { recursive: true, mode: 0o700 })
    yield* fs.chmod(dir, 0o700)
    yield* Effect.scoped(
      Effect.gen(function* () {
        const handle = yield* fs.open(temp, { flag: "wx", mode: 0o600 })
        yield* handle.writeAll(bytes)
        yield* handle.sync
      })
    )
    yield* fs.chmod(temp, 0o600)
    yield* fs.rename(temp, file).pipe(Effect.onError(() => Effect.ignore(fs.remove(temp))))
  }).pipe(Effect.mapError(fileSystemError("write", file)))

/** Options of `saveProfile`. */
export interface SaveProfileOptions {
  readonly apiKey: Redacted.Redacted<string>
  readonly baseUrl?: string | undefined
  /** Also make it the file's defaultProfile. */
  readonly makeDefault?: boolean | undefined
}

const checkName = (profile: string) =>
  profileNamePattern.test(profile)
    ? Effect.void
    : Effect.fail(
        new PartnerConfigError({
          reason: "InvalidProfileName",
          message: `Invalid profile name "${profile}": use 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit`
        })
      )

/** Adds or replaces a profile, keeping the others; writes the file atomically with mode 0600 in a 0700 directory. */
export const saveProfile = Effect.fn("PartnerConfig.saveProfile")(function* (
  profile: string,
  options: SaveProfileOptions
) {
  yield* checkName(profile)
  if (Redacted.value(options.apiKey).trim() === "") {
    return yield* new PartnerConfigError({ reason: "InvalidValue", message: "The API key is empty" })
  }
  const baseUrl =
    options.baseUrl === undefined
      ? undefined
      : yield* Effect.mapError(
          decodeBaseUrl(options.baseUrl),
          () =>
            new PartnerConfigError({
              reason: "InvalidValue",
              message: "The base URL is not an absolute http(s) URL"
            })
        )
  const file = yield* configFile
  const config = yield* load(file)
  const saved: Profile =
    baseUrl === undefined ? { apiKey: options.apiKey } : { apiKey: options.apiKey, baseUrl }
  const next: ConfigFile = {
    ...config,
    ...(options.makeDefault === true ? { defaultProfile: profile } : {}),
    profiles: { ...config.profiles, [profile]: saved }
  }
  yield* writeAtomically(file, next)
})

/** Removes a profile (and the defaultProfile naming it); fails with `UnknownProfile` when it does not exist. */
export const removeProfile = Effect.fn("PartnerConfig.removeProfile")(function* (profile: string) {
  const file = yield* configFile
  const config = yield* load(file)
  if (Option.isNone(lookup(config, profile))) return yield* unknownProfile(file, config, profile, "")
  const { [profile]: _removed, ...profiles } = config.profiles
  const { defaultProfile, ...rest } = config
  const next: ConfigFile =
    defaultProfile === undefined || defaultProfile === profile
      ? { ...rest, profiles }
      : { ...rest, defaultProfile, profiles }
  yield* writeAtomically(file, next)
})
