import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync
} from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { inspect } from "node:util"
import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Option, Redacted } from "effect"
import {
  defaultBaseUrl,
  layer,
  listProfiles,
  PartnerConfig,
  PartnerConfigError,
  removeProfile,
  resolve,
  saveProfile
} from "../src/PartnerConfig.js"

const envKey = "sk_env_7f3a9c1d2e4b5a6f"
const prodKey = "sk_prod_0a1b2c3d4e5f6a7b"
const devKey = "sk_dev_99887766554433"
const allKeys = [envKey, prodKey, devKey]

const tempDir = Effect.acquireRelease(
  Effect.sync(() => mkdtempSync(join(tmpdir(), "bullseye-config-"))),
  (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
)

const withEnv =
  (env: Record<string, string>) =>
  <A, E, R>(self: Effect.Effect<A, E, R>) =>
    self.pipe(
      Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env)))),
      Effect.provide(NodeContext.layer)
    )

const fileIn = (xdg: string) => join(xdg, "bullseye-partner", "config.json")

const writeConfig = (xdg: string, content: unknown) => {
  mkdirSync(join(xdg, "bullseye-partner"), { recursive: true })
  writeFileSync(fileIn(xdg), typeof content === "string" ? content : JSON.stringify(content))
}

const twoProfiles = {
  defaultProfile: "dev",
  profiles: {
    prod: { apiKey: prodKey },
    dev: { apiKey: devKey, baseUrl: "http://127.0.0.1:4100/api/v1/" }
  }
}

const keyOf = (config: { readonly apiKey: Option.Option<Redacted.Redacted<string>> }) =>
  Option.map(config.apiKey, Redacted.value)

const expectNoKey = (shown: string) => {
  for (const key of allKeys) expect(shown).not.toContain(key)
}

const expectSafeError = (error: PartnerConfigError) => {
  expect(error).toBeInstanceOf(PartnerConfigError)
  expect(error.message).not.toContain("\n")
  for (const shown of [error.message, String(error), JSON.stringify(error), inspect(error)])
    expectNoKey(shown)
}

describe("resolve", () => {
  it.scoped("is `none` with the default base URL when nothing is configured", () =>
    Effect.gen(function* () {
      const xdg = yield* tempDir
      const config = yield* resolve().pipe(withEnv({ XDG_CONFIG_HOME: xdg }))
      expect(config.source).toBe("none")
      expect(config.baseUrl).toBe(defaultBaseUrl)
      expect(Option.isNone(config.apiKey)).toBe(true)
      expect(Option.isNone(config.profile)).toBe(true)
    })
  )

  it.scoped("reads the key and base URL from the environment, blank values counting as unset", () =>
    Effect.gen(function* () {
      const xdg = yield* tempDir
      const config = yield* resolve().pipe(
        withEnv({
          XDG_CONFIG_HOME: xdg,
          BULLSEYE_API_KEY: envKey,
          BULLSEYE_BASE_URL: "http://127.0.0.1:4100/api/v1/"
        })
      )
      expect(config.source).toBe("env")
      expect(keyOf(config)).toEqual(Option.some(envKey))
      expect(config.baseUrl).toBe("http://127.0.0.1:4100/api/v1")
      const blank = yield* resolve().pipe(
        withEnv({ XDG_CONFIG_HOME: xdg, BULLSEYE_API_KEY: "  ", BULLSEYE_PROFILE: "" })
      )
      expect(blank.source).toBe("none")
    })
  )

  it.scoped("prefers the environment to the file's defaultProfile, without reading the file", () =>
    Effect.gen(function* () {
      const xdg = yield* tempDir
      writeConfig(xdg, twoProfiles)
      const config = yield* resolve().pipe(withEnv({ XDG_CONFIG_HOME: xdg, BULLSEYE_API_KEY: envKey }))
      expect(config.source).toBe("env")
      expect(config.baseUrl).toBe(defaultBaseUrl)
      const urlOnly = yield* resolve().pipe(
        withEnv({ XDG_CONFIG_HOME: xdg, BULLSEYE_BASE_URL: "http://127.0.0.1:4100/api/v1" })
      )
      expect(urlOnly.source).toBe("env")
      expect(Option.isNone(urlOnly.apiKey)).toBe(true)
      writeConfig(xdg, "{ not json")
      expect(
        (yield* resolve().pipe(withEnv({ XDG_CONFIG_HOME: xdg, BULLSEYE_API_KEY: envKey }))).source
      ).toBe("env")
    })
  )

  it.scoped("falls back to the file's defaultProfile", () =>
    Effect.gen(function* () {
      const xdg = yield* tempDir
      writeConfig(xdg, twoProfiles)
      const config = yield* resolve().pipe(withEnv({ XDG_CONFIG_HOME: xdg }))
      expect(config.source).toBe("profile")
      expect(config.profile).toEqual(Option.some("dev"))
      expect(keyOf(config)).toEqual(Option.some(devKey))
      expect(config.baseUrl).toBe("http://127.0.0.1:4100/api/v1")
    })
  )

  it.scoped("lets BULLSEYE_PROFILE win over the environment's key and URL", () =>
    Effect.gen(function* () {
      const xdg = yield* tempDir
      writeConfig(xdg, twoProfiles)
      const config = yield* resolve().pipe(
        withEnv({
          XDG_CONFIG_HOME: xdg,
          BULLSEYE_PROFILE: "prod",
          BULLSEYE_API_KEY: envKey,
          BULLSEYE_BASE_URL: "http://127.0.0.1:4100/api/v1"
        })
      )
      expect(config.source).toBe("profile")
      expect(config.profile).toEqual(Option.some("prod"))
      expect(keyOf(config)).toEqual(Option.some(prodKey))
      expect(config.baseUrl).toBe(defaultBaseUrl)
    })
  )

  it.scoped("lets an explicitly selected profile win over BULLSEYE_PROFILE", () =>
    Effect.gen(function* () {
      const xdg = yield* tempDir
      writeConfig(xdg, twoProfiles)
      const config = yield* resolve({ profile: "dev" }).pipe(
        withEnv({ XDG_CONFIG_HOME: xdg, BULLSEYE_PROFILE: "prod", BULLSEYE_API_KEY: envKey })
      )
      expect(config.profile).toEqual(Option.some("dev"))
      expect(keyOf(config)).toEqual(Option.some(devKey))
    })
  )

  it.scoped("names the known profiles when the selected one does not exist", () =>
    Effect.gen(function* () {
      const xdg = yield* tempDir
      writeConfig(xdg, twoProfiles)
      const explicit = yield* Effect.flip(
        resolve({ profile: "staging" }).pipe(withEnv({ XDG_CONFIG_HOME: xdg }))
      )
      expect(explicit.reason).toBe("UnknownProfile")
      expect(explicit.knownProfiles).toEqual(["dev", "prod"])
      expect(explicit.message).toBe(
        `Unknown profile "staging"; known profiles: dev, prod (in ${fileIn(xdg)})`
      )
      expectSafeError(explicit)
      const fromEnv = yield* Effect.flip(
        resolve().pipe(withEnv({ XDG_CONFIG_HOME: xdg, BULLSEYE_PROFILE: "stg" }))
      )
      expect(fromEnv.message).toContain("BULLSEYE_PROFILE")
      expect(fromEnv.message).toContain("dev, prod")
    })
  )

  it.scoped("says no profile is saved when the file does not exist", () =>
    Effect.gen(function* () {
      const xdg = yield* tempDir
      const error = yield* Effect.flip(resolve({ profile: "prod" }).pipe(withEnv({ XDG_CONFIG_HOME: xdg })))
      expect(error.message).toBe(`Unknown profile "prod"; no profiles are saved in ${fileIn(xdg)}`)
    })
  )

  it.scoped("refuses a defaultProfile that names no profile", () =>
    Effect.gen(function* () {
      const xdg = yield* tempDir
      writeConfig(xdg, { ...twoProfiles, defaultProfile: "gone" })
      const error = yield* Effect.flip(resolve().pipe(withEnv({ XDG_CONFIG_HOME: xdg })))
      expect(error.reason).toBe("UnknownProfile")
      expect(error.message).toContain("defaultProfile")
    })
  )

  it.scoped("does not treat inherited object properties as profiles", () =>
    Effect.gen(function* () {
      const xdg = yield* tempDir
      writeConfig(xdg, twoProfiles)
      const error = yield* Effect.flip(
        resolve({ profile: "constructor" }).pipe(withEnv({ XDG_CONFIG_HOME: xdg }))
      )
      expect(error.reason).toBe("UnknownProfile")
    })
  )

  it.scoped("names the file and the position of invalid JSON, without quoting it", () =>
    Effect.gen(function* () {
      const xdg = yield* tempDir
      writeConfig(xdg, `{ "profiles": { "prod": { "apiKey": "${prodKey}" ,, } } }`)
      const error = yield* Effect.flip(resolve({ profile: "prod" }).pipe(withEnv({ XDG_CONFIG_HOME: xdg })))
      expect(error.reason).toBe("MalformedFile")
      expect(error.file).toBe(fileIn(xdg))
      expect(error.message).toMatch(/config\.json is malformed: not valid JSON/)
      expectSafeError(error)
    })
  )

  it.scoped("names the path of a schema problem without showing the value", () =>
    Effect.gen(function* () {
      const xdg = yield* tempDir
      writeConfig(xdg, { profiles: { prod: { apiKey: { value: prodKey } } } })
      const wrongType = yield* Effect.flip(
        resolve({ profile: "prod" }).pipe(withEnv({ XDG_CONFIG_HOME: xdg }))
      )
      expect(wrongType.message).toBe(
        `${fileIn(xdg)} is malformed: profiles.prod.apiKey expected a string; fix it or remove it to start over`
      )
      expectSafeError(wrongType)
      writeConfig(xdg, { profiles: [prodKey] })
      const notRecord = yield* Effect.flip(
        resolve({ profile: "prod" }).pipe(withEnv({ XDG_CONFIG_HOME: xdg }))
      )
      expect(notRecord.message).toContain("profiles expected an object mapping profile names to profiles")
      expectSafeError(notRecord)
      writeConfig(xdg, { profiles: { prod: { apiKey: prodKey, baseUrl: "ftp://x" } } })
      const badUrl = yield* Effect.flip(resolve({ profile: "prod" }).pipe(withEnv({ XDG_CONFIG_HOME: xdg })))
      expect(badUrl.message).toContain("profiles.prod.baseUrl expected an absolute http(s) URL")
      expectSafeError(badUrl)
      for (const [content, problem] of [
        ["", "the file is empty"],
        ["[1]", "expected an object"],
        ['{"profiles":{"prod":{}}}', "profiles.prod.apiKey is missing"]
      ] as const) {
        writeConfig(xdg, content)
        const error = yield* Effect.flip(resolve({ profile: "prod" }).pipe(withEnv({ XDG_CONFIG_HOME: xdg })))
        expect(error.message).toBe(
          `${fileIn(xdg)} is malformed: ${problem}; fix it or remove it to start over`
        )
      }
    })
  )

  it.scoped("refuses a BULLSEYE_BASE_URL that is not an http(s) URL", () =>
    Effect.gen(function* () {
      const xdg = yield* tempDir
      const error = yield* Effect.flip(
        resolve().pipe(
          withEnv({ XDG_CONFIG_HOME: xdg, BULLSEYE_API_KEY: envKey, BULLSEYE_BASE_URL: "localhost:4100" })
        )
      )
      expect(error.reason).toBe("InvalidValue")
      expectSafeError(error)
    })
  )

  it.scoped("finds the file under $HOME/.config when XDG_CONFIG_HOME is unset or relative", () =>
    Effect.gen(function* () {
      const home = yield* tempDir
      writeConfig(join(home, ".config"), twoProfiles)
      for (const env of [{ HOME: home }, { HOME: home, XDG_CONFIG_HOME: "relative/dir" }]) {
        const config = yield* resolve({ profile: "prod" }).pipe(withEnv(env))
        expect(keyOf(config)).toEqual(Option.some(prodKey))
      }
    })
  )

  it.effect("needs XDG_CONFIG_HOME or HOME only when a profile is involved", () =>
    Effect.gen(function* () {
      expect((yield* resolve().pipe(withEnv({}))).source).toBe("none")
      const error = yield* Effect.flip(resolve({ profile: "prod" }).pipe(withEnv({})))
      expect(error.reason).toBe("NoConfigDirectory")
    })
  )

  it.scoped("never shows a key in String, JSON or inspect of the resolved config", () =>
    Effect.gen(function* () {
      const xdg = yield* tempDir
      writeConfig(xdg, twoProfiles)
      const fromEnv = yield* resolve().pipe(withEnv({ XDG_CONFIG_HOME: xdg, BULLSEYE_API_KEY: envKey }))
      const fromProfile = yield* resolve({ profile: "prod" }).pipe(withEnv({ XDG_CONFIG_HOME: xdg }))
      for (const config of [fromEnv, fromProfile]) {
        for (const shown of [String(config), JSON.stringify(config), inspect(config, { depth: 10 })])
          expectNoKey(shown)
      }
      expect(JSON.stringify(fromEnv)).toContain("<redacted>")
    })
  )
})

describe("layer", () => {
  it.scoped("provides PartnerConfig for the selected profile", () =>
    Effect.gen(function* () {
      const xdg = yield* tempDir
      writeConfig(xdg, twoProfiles)
      const config = yield* PartnerConfig.pipe(
        Effect.provide(layer({ profile: "prod" })),
        withEnv({ XDG_CONFIG_HOME: xdg, BULLSEYE_API_KEY: envKey })
      )
      expect(config.profile).toEqual(Option.some("prod"))
      expect(keyOf(config)).toEqual(Option.some(prodKey))
    })
  )
})

describe("saveProfile", () => {
  it.scoped("writes the file 0600 in a 0700 directory it creates", () =>
    Effect.gen(function* () {
      const xdg = join(yield* tempDir, "nested", "config")
      yield* saveProfile("prod", { apiKey: Redacted.make(prodKey) }).pipe(withEnv({ XDG_CONFIG_HOME: xdg }))
      expect(statSync(fileIn(xdg)).mode & 0o777).toBe(0o600)
      expect(statSync(join(xdg, "bullseye-partner")).mode & 0o777).toBe(0o700)
      expect(JSON.parse(readFileSync(fileIn(xdg), "utf8"))).toEqual({
        profiles: { prod: { apiKey: prodKey } }
      })
    })
  )

  it.scoped("tightens the modes of an existing file and directory", () =>
    Effect.gen(function* () {
      const xdg = yield* tempDir
      writeConfig(xdg, twoProfiles)
      chmodSync(fileIn(xdg), 0o644)
      chmodSync(join(xdg, "bullseye-partner"), 0o755)
      yield* saveProfile("prod", { apiKey: Redacted.make(prodKey) }).pipe(withEnv({ XDG_CONFIG_HOME: xdg }))
      expect(statSync(fileIn(xdg)).mode & 0o777).toBe(0o600)
      expect(statSync(join(xdg, "bullseye-partner")).mode & 0o777).toBe(0o700)
    })
  )

  it.scoped("replaces one profile atomically, keeping the others and unknown fields", () =>
    Effect.gen(function* () {
      const xdg = yield* tempDir
      writeConfig(xdg, { ...twoProfiles, futureSetting: { theme: "dark" } })
      const newKey = "sk_prod_rotated_123456"
      yield* saveProfile("prod", {
        apiKey: Redacted.make(newKey),
        baseUrl: "https://eu.example.com/api/v1/"
      }).pipe(withEnv({ XDG_CONFIG_HOME: xdg }))
      expect(JSON.parse(readFileSync(fileIn(xdg), "utf8"))).toEqual({
        defaultProfile: "dev",
        futureSetting: { theme: "dark" },
        profiles: {
          prod: { apiKey: newKey, baseUrl: "https://eu.example.com/api/v1" },
          dev: { apiKey: devKey, baseUrl: "http://127.0.0.1:4100/api/v1" }
        }
      })
      expect(readdirSync(join(xdg, "bullseye-partner"))).toEqual(["config.json"])
      const config = yield* resolve({ profile: "prod" }).pipe(withEnv({ XDG_CONFIG_HOME: xdg }))
      expect(keyOf(config)).toEqual(Option.some(newKey))
    })
  )

  it.scoped("makes the profile the default on request", () =>
    Effect.gen(function* () {
      const xdg = yield* tempDir
      writeConfig(xdg, twoProfiles)
      yield* saveProfile("staging", { apiKey: Redacted.make(envKey), makeDefault: true }).pipe(
        withEnv({ XDG_CONFIG_HOME: xdg })
      )
      const listed = yield* listProfiles.pipe(withEnv({ XDG_CONFIG_HOME: xdg }))
      expect(listed).toEqual({
        file: fileIn(xdg),
        names: ["dev", "prod", "staging"],
        defaultProfile: Option.some("staging")
      })
      expect((yield* resolve().pipe(withEnv({ XDG_CONFIG_HOME: xdg }))).profile).toEqual(
        Option.some("staging")
      )
    })
  )

  it.scoped("refuses invalid names, empty keys and bad URLs, and will not overwrite a malformed file", () =>
    Effect.gen(function* () {
      const xdg = yield* tempDir
      const save = (name: string, apiKey: string, baseUrl?: string) =>
        Effect.flip(
          saveProfile(name, { apiKey: Redacted.make(apiKey), baseUrl }).pipe(
            withEnv({ XDG_CONFIG_HOME: xdg })
          )
        )
      for (const name of ["", "__proto__", "a/b", "../up", "-x", "x".repeat(65)]) {
        const error = yield* save(name, prodKey)
        expect(error.reason).toBe("InvalidProfileName")
        expectSafeError(error)
      }
      expect((yield* save("prod", " ")).reason).toBe("InvalidValue")
      const badUrl = yield* save("prod", prodKey, "not a url")
      expect(badUrl.reason).toBe("InvalidValue")
      expectSafeError(badUrl)
      writeConfig(xdg, `{"profiles": {"dev": {"apiKey": "${devKey}"}`)
      const malformed = yield* save("prod", prodKey)
      expect(malformed.reason).toBe("MalformedFile")
      expectSafeError(malformed)
      expect(readFileSync(fileIn(xdg), "utf8")).toContain(devKey)
    })
  )
})

describe("removeProfile", () => {
  it.scoped("removes one profile and the defaultProfile naming it, keeping the others", () =>
    Effect.gen(function* () {
      const xdg = yield* tempDir
      writeConfig(xdg, twoProfiles)
      yield* removeProfile("dev").pipe(withEnv({ XDG_CONFIG_HOME: xdg }))
      expect(JSON.parse(readFileSync(fileIn(xdg), "utf8"))).toEqual({
        profiles: { prod: { apiKey: prodKey } }
      })
      expect(statSync(fileIn(xdg)).mode & 0o777).toBe(0o600)
      yield* saveProfile("dev", { apiKey: Redacted.make(devKey), makeDefault: true }).pipe(
        withEnv({ XDG_CONFIG_HOME: xdg })
      )
      yield* removeProfile("prod").pipe(withEnv({ XDG_CONFIG_HOME: xdg }))
      expect(JSON.parse(readFileSync(fileIn(xdg), "utf8"))).toEqual({
        defaultProfile: "dev",
        profiles: { dev: { apiKey: devKey } }
      })
    })
  )

  it.scoped("fails with the known names for a profile that does not exist", () =>
    Effect.gen(function* () {
      const xdg = yield* tempDir
      writeConfig(xdg, twoProfiles)
      const error = yield* Effect.flip(removeProfile("staging").pipe(withEnv({ XDG_CONFIG_HOME: xdg })))
      expect(error.reason).toBe("UnknownProfile")
      expect(error.message).toContain("known profiles: dev, prod")
      expectSafeError(error)
    })
  )
})
