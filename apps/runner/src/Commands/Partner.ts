import { Analytics } from "@bullseye-partner/core/Analytics"
import { ApiKeys } from "@bullseye-partner/core/ApiKeys"
import { Billing } from "@bullseye-partner/core/Billing"
import { Branding } from "@bullseye-partner/core/Branding"
import { Domains } from "@bullseye-partner/core/Domains"
import { PartnerAccount } from "@bullseye-partner/core/PartnerAccount"
import { Webhooks } from "@bullseye-partner/core/Webhooks"
import { Args, Command, Options } from "@effect/cli"
import { FileSystem } from "@effect/platform"
import { Chunk, Effect, Option, Redacted, Stream } from "effect"
import { apiLayer, confirm, json, print, profile, show, yes } from "../internal/cli.js"
import { field } from "../internal/optional.js"
import { Output } from "../Output.js"

const common = { json, profile }
const nullable = <A>(o: Option.Option<A>, clear: boolean) => (clear ? Option.some(null) : o)

const me = Command.make("me", common, (a) =>
  show(
    a,
    Effect.flatMap(PartnerAccount, (p) => p.me())
  )
).pipe(Command.withDescription("The partner account"))

const keysList = Command.make("list", common, (a) =>
  show(
    a,
    Effect.flatMap(ApiKeys, (k) => k.list()),
    ["id", "name", "keyPrefix", "scopes", "status", "expiresAt", "lastUsedAt"]
  )
)
const keysCreate = Command.make(
  "create",
  {
    name: Options.text("name"),
    scopes: Options.choice("scope", ["read", "write", "admin"]).pipe(Options.repeated),
    expiresAt: Options.text("expires-at").pipe(Options.optional),
    ...common
  },
  (a) =>
    Effect.gen(function* () {
      const [first, ...rest] = a.scopes
      const created = yield* Effect.flatMap(ApiKeys, (k) =>
        k.create({
          name: a.name,
          ...(first === undefined ? {} : { scopes: [first, ...rest] }),
          ...field("expiresAt", a.expiresAt)
        })
      ).pipe(
        Effect.map((c) => ({ key: { ...c.apiKey, plainKey: Redacted.value(c.plainKey) }, problem: "" })),
        // The key exists and this is the only time its value is sent: show it even when the rest of the answer is off.
        Effect.catchTag("UndecodedApiKey", (e) =>
          Effect.succeed({
            key: { id: e.keyId ?? null, name: a.name, plainKey: Redacted.value(e.plainKey) },
            problem: `Warning: the key was created, but the rest of the answer does not match the contract (${e.decodeError.message}).\n`
          })
        ),
        Effect.provide(apiLayer(a.profile))
      )
      const output = yield* Output
      yield* output.err(`${created.problem}The plain key is shown this once; store it now.\n`)
      yield* print(created.key, a)
    })
)
const keysRevoke = Command.make("revoke", { keyId: Args.text({ name: "KEY_ID" }), yes, ...common }, (a) =>
  // Asks before the connection (and possibly the embedded sandbox) starts, like the other deletions.
  confirm(`Revoke API key ${a.keyId}? Revoking is immediate and permanent.`, "revoke it", a.yes).pipe(
    Effect.zipRight(
      show(
        a,
        Effect.as(
          Effect.flatMap(ApiKeys, (k) => k.revoke(a.keyId)),
          { id: a.keyId, revoked: true }
        )
      )
    )
  )
).pipe(Command.withDescription("Revoke an API key; asks first unless --yes"))
const keys = Command.make("keys").pipe(
  Command.withDescription("API keys (admin scope)"),
  Command.withSubcommands([keysList, keysCreate, keysRevoke])
)

const channel = Args.choice(
  [
    ["identification", "identification"],
    ["billing", "billing"]
  ] as const,
  { name: "CHANNEL" }
)
const webhooksGet = Command.make("get", common, (a) =>
  show(
    a,
    Effect.flatMap(Webhooks, (w) => w.get())
  )
)
const webhooksUpdate = Command.make(
  "update",
  {
    channel,
    url: Options.text("url").pipe(Options.optional),
    clearUrl: Options.boolean("clear-url"),
    secretFile: Options.file("secret-file").pipe(
      Options.withDescription("a file holding the signing secret (never pass secrets as arguments)"),
      Options.optional
    ),
    enabled: Options.choice("enabled", ["true", "false"]).pipe(Options.optional),
    ...common
  },
  (a) =>
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const secret = Option.isSome(a.secretFile)
        ? Option.some(Redacted.make((yield* fs.readFileString(a.secretFile.value)).trim()))
        : Option.none()
      yield* show(
        a,
        Effect.flatMap(Webhooks, (w) =>
          w.update(a.channel, {
            ...field("url", nullable(a.url, a.clearUrl)),
            ...field("secret", secret),
            ...field(
              "enabled",
              Option.map(a.enabled, (v) => v === "true")
            )
          })
        )
      )
    })
)
const webhooksTest = Command.make("test", { channel, ...common }, (a) =>
  show(
    a,
    Effect.flatMap(Webhooks, (w) => w.test(a.channel))
  )
)
const webhooksLogs = Command.make(
  "logs",
  {
    type: Options.choice("type", ["identification", "billing"]).pipe(Options.optional),
    status: Options.choice("status", ["pending", "retrying", "success", "failed"]).pipe(Options.optional),
    org: Options.text("org").pipe(Options.optional),
    limit: Options.integer("limit").pipe(Options.withDefault(50)),
    ...common
  },
  (a) =>
    show(
      a,
      Effect.flatMap(Webhooks, (w) =>
        Stream.runCollect(
          w
            .logsAll({
              ...field("type", a.type),
              ...field("status", a.status),
              ...field("organizationId", a.org)
            })
            .pipe(Stream.take(a.limit))
        )
      ).pipe(Effect.map(Chunk.toReadonlyArray)),
      ["id", "type", "event", "organizationId", "status", "attempts", "responseStatus", "createdAt"]
    )
)
const webhooks = Command.make("webhooks").pipe(
  Command.withDescription("Webhook channels and delivery logs"),
  Command.withSubcommands([webhooksGet, webhooksUpdate, webhooksTest, webhooksLogs])
)

const billingInfo = Command.make("info", common, (a) =>
  show(
    a,
    Effect.flatMap(Billing, (b) => b.info())
  )
)
const billingUsage = Command.make("usage", common, (a) =>
  show(
    a,
    Effect.flatMap(Billing, (b) => b.usage())
  )
)
const billingCalculate = Command.make(
  "calculate",
  { usage: Args.integer({ name: "USAGE" }), ...common },
  (a) =>
    show(
      a,
      Effect.flatMap(Billing, (b) => b.calculate(a.usage))
    )
)
const billing = Command.make("billing").pipe(
  Command.withDescription("Billing (admin scope)"),
  Command.withSubcommands([billingInfo, billingUsage, billingCalculate])
)

const range = {
  startDate: Options.text("start").pipe(Options.withDescription("YYYY-MM-DD or ISO"), Options.optional),
  endDate: Options.text("end").pipe(Options.withDescription("YYYY-MM-DD or ISO"), Options.optional)
}
const analyticsGet = Command.make("get", { ...range, ...common }, (a) =>
  show(
    a,
    Effect.flatMap(Analytics, (an) =>
      an.get({ ...field("startDate", a.startDate), ...field("endDate", a.endDate) })
    )
  )
)
const analyticsUsage = Command.make("usage", { ...range, ...common }, (a) =>
  show(
    a,
    Effect.flatMap(Analytics, (an) =>
      an.usage({ ...field("startDate", a.startDate), ...field("endDate", a.endDate) })
    )
  )
)
const analytics = Command.make("analytics").pipe(
  Command.withDescription("Analytics and usage"),
  Command.withSubcommands([analyticsGet, analyticsUsage])
)

const branding = Command.make(
  "branding",
  {
    logoUrl: Options.text("logo-url").pipe(Options.optional),
    clearLogo: Options.boolean("clear-logo"),
    primaryColor: Options.text("primary-color").pipe(Options.optional),
    secondaryColor: Options.text("secondary-color").pipe(Options.optional),
    companyName: Options.text("company-name").pipe(Options.optional),
    ...common
  },
  (a) =>
    show(
      a,
      Effect.flatMap(Branding, (b) =>
        b.update({
          ...field("logoUrl", nullable(a.logoUrl, a.clearLogo)),
          ...field("primaryColor", a.primaryColor),
          ...field("secondaryColor", a.secondaryColor),
          ...field("companyName", a.companyName)
        })
      )
    )
).pipe(Command.withDescription("Update the partner's branding"))

const domainSet = Command.make("set", { domain: Args.text({ name: "DOMAIN" }), ...common }, (a) =>
  show(
    a,
    Effect.flatMap(Domains, (d) => d.set(a.domain))
  )
)
const domainVerification = Command.make("verification", common, (a) =>
  show(
    a,
    Effect.flatMap(Domains, (d) => d.verification())
  )
)
const domainVerify = Command.make("verify", common, (a) =>
  show(
    a,
    Effect.flatMap(Domains, (d) => d.verify())
  )
)
const domain = Command.make("domain").pipe(
  Command.withDescription("The custom script domain"),
  Command.withSubcommands([domainSet, domainVerification, domainVerify])
)

/** The partner-level one-off command groups. */
export const partnerCommands = [me, keys, webhooks, billing, analytics, branding, domain] as const
