import { Organizations } from "@bullseye-partner/core/Organizations"
import { Args, Command, Options } from "@effect/cli"
import { Chunk, Effect, Option, Schema, Stream } from "effect"
import { confirm, json, profile, show, UserError, yes } from "../internal/cli.js"
import { field } from "../internal/optional.js"

const id = Args.text({ name: "ORGANIZATION_ID" })
const common = { json, profile }
const columns = ["id", "name", "externalId", "status", "tier", "credits", "creditsAvailable", "createdAt"]

const withOrganizations = <A, E, R>(
  a: { readonly json: boolean; readonly profile: Option.Option<string> },
  f: (orgs: Organizations) => Effect.Effect<A, E, R>,
  columns?: ReadonlyArray<string>
) => show(a, Effect.flatMap(Organizations, f), columns)

const parseMetadata = (text: string) =>
  Schema.decodeUnknown(
    Schema.parseJson(
      Schema.Record({
        key: Schema.String,
        value: Schema.Union(Schema.String, Schema.Number, Schema.Boolean, Schema.Null)
      })
    )
  )(text).pipe(
    Effect.mapError(
      () =>
        new UserError({ message: "--metadata must be a JSON object of strings, numbers, booleans or null" })
    )
  )

const list = Command.make(
  "list",
  {
    ...common,
    status: Options.choice("status", ["active", "canceled", "suspended"]).pipe(Options.optional),
    search: Options.text("search").pipe(Options.optional),
    externalId: Options.text("external-id").pipe(Options.optional)
  },
  (a) =>
    withOrganizations(
      a,
      (orgs) =>
        Stream.runCollect(
          orgs.listAll({
            ...field("status", a.status),
            ...field("search", a.search),
            ...field("externalId", a.externalId)
          })
        ).pipe(Effect.map(Chunk.toReadonlyArray)),
      columns
    )
)

const get = Command.make("get", { id, ...common }, (a) => withOrganizations(a, (orgs) => orgs.get(a.id)))

const create = Command.make(
  "create",
  {
    ...common,
    name: Options.text("name"),
    externalId: Options.text("external-id").pipe(
      Options.withDescription("makes the create exactly-once: an existing organization with it is returned"),
      Options.optional
    ),
    tier: Options.choice("tier", ["trial", "paid"]).pipe(Options.optional),
    initialCredits: Options.integer("initial-credits").pipe(Options.optional),
    productType: Options.choice("product-type", ["B2B", "B2C"]).pipe(Options.optional),
    metadata: Options.text("metadata").pipe(Options.withDescription("a JSON object"), Options.optional)
  },
  (a) =>
    Effect.gen(function* () {
      const metadata = Option.isSome(a.metadata) ? yield* parseMetadata(a.metadata.value) : undefined
      const payload = {
        name: a.name,
        ...field("tier", a.tier),
        ...field("initialCredits", a.initialCredits),
        ...field("productType", a.productType),
        ...(metadata === undefined ? {} : { metadata })
      }
      yield* withOrganizations(a, (orgs) =>
        Option.match(a.externalId, {
          onNone: () => orgs.create(payload),
          onSome: (externalId) => Effect.map(orgs.ensure({ ...payload, externalId }), (r) => r.organization)
        })
      )
    })
)

const update = Command.make(
  "update",
  {
    id,
    ...common,
    name: Options.text("name").pipe(Options.optional),
    externalId: Options.text("external-id").pipe(Options.optional),
    metadata: Options.text("metadata").pipe(
      Options.withDescription("a JSON object; replaces the metadata"),
      Options.optional
    )
  },
  (a) =>
    Effect.gen(function* () {
      const metadata = Option.isSome(a.metadata) ? yield* parseMetadata(a.metadata.value) : undefined
      yield* withOrganizations(a, (orgs) =>
        orgs.update(a.id, {
          ...field("name", a.name),
          ...field("externalId", a.externalId),
          ...(metadata === undefined ? {} : { metadata })
        })
      )
    })
)

const remove = Command.make("delete", { id, yes, ...common }, (a) =>
  confirm(
    `Cancel organization ${a.id}? Canceling is permanent; its unused credits return to the pool.`,
    "cancel it",
    a.yes
  ).pipe(
    Effect.zipRight(
      withOrganizations(a, (orgs) => Effect.as(orgs.cancel(a.id), { id: a.id, status: "canceled" }))
    )
  )
).pipe(Command.withDescription("Soft-delete (cancel) an organization; asks first unless --yes"))

const status = Command.make(
  "status",
  {
    id,
    status: Args.choice(
      [
        ["active", "active"],
        ["suspended", "suspended"]
      ] as const,
      { name: "STATUS" }
    ),
    ...common
  },
  (a) => withOrganizations(a, (orgs) => orgs.setStatus(a.id, a.status))
)

const tier = Command.make(
  "tier",
  {
    id,
    tier: Args.choice(
      [
        ["trial", "trial"],
        ["paid", "paid"]
      ] as const,
      { name: "TIER" }
    ),
    ...common
  },
  (a) => withOrganizations(a, (orgs) => orgs.setTier(a.id, a.tier))
)

const credits = Command.make(
  "credits",
  {
    id,
    credits: Args.integer({ name: "CREDITS" }),
    notes: Options.text("notes").pipe(Options.optional),
    ...common
  },
  (a) =>
    withOrganizations(a, (orgs) =>
      orgs.allocateCredits(a.id, { credits: a.credits, ...field("notes", a.notes) })
    )
).pipe(Command.withDescription("Set (not add to) an organization's credit allocation"))

/** `orgs list|get|create|update|delete|status|tier|credits`. */
export const organizationsCommand = Command.make("orgs").pipe(
  Command.withDescription("Organizations, one at a time"),
  Command.withSubcommands([list, get, create, update, remove, status, tier, credits])
)
