import { IcpRules, OpenIcpRules } from "@bullseye-partner/core/Domain/Icp"
import { Schema } from "effect"
import { sameJson } from "./internal/canonical.js"

const Metadata = Schema.Record({ key: Schema.String, value: Schema.Unknown })
const Tier = Schema.Literal("trial", "paid")
// The status found is whatever the API returned (the real API may know more statuses than the contract).
const FoundStatus = Schema.String

/** A pixel's settings as far as a plan changes them. */
export const PixelSettings = Schema.Struct({
  allowedDomains: Schema.Array(Schema.String),
  enabled: Schema.Boolean
})
export type PixelSettings = typeof PixelSettings.Type

/** The ICP config fields an upsert sets. */
export const IcpFields = Schema.Struct({
  rules: Schema.optional(IcpRules),
  active: Schema.optional(Schema.Boolean),
  priority: Schema.optional(Schema.Int)
})
export type IcpFields = typeof IcpFields.Type

// The fields found may hold rules this SDK does not know (an ICP type newer than the contract).
const FoundIcpFields = Schema.Struct({ ...IcpFields.fields, rules: Schema.optional(OpenIcpRules) })

/** The organization fields a provision entry updates on an existing organization. */
export const OrganizationFields = Schema.Struct({
  name: Schema.optional(Schema.String),
  productType: Schema.optional(Schema.String),
  billingPeriod: Schema.optional(Schema.String),
  billingDayOfMonth: Schema.optional(Schema.Int),
  ownerUserId: Schema.optional(Schema.NullOr(Schema.String)),
  metadata: Schema.optional(Metadata)
})
export type OrganizationFields = typeof OrganizationFields.Type

/** What a step does, with the state it expects to find (`from`) and the state it leaves (`to`). */
export const StepAction = Schema.Union(
  Schema.TaggedStruct("createOrganization", {
    payload: Schema.Struct({
      name: Schema.String,
      externalId: Schema.String,
      tier: Schema.optional(Tier),
      initialCredits: Schema.optional(Schema.Int),
      productType: Schema.optional(Schema.Literal("B2B", "B2C")),
      billingPeriod: Schema.optional(Schema.Literal("monthly", "quarterly", "annually")),
      billingDayOfMonth: Schema.optional(Schema.Int),
      ownerUserId: Schema.optional(Schema.String),
      metadata: Schema.optional(
        Schema.Record({
          key: Schema.String,
          value: Schema.Union(Schema.String, Schema.Number, Schema.Boolean, Schema.Null)
        })
      )
    })
  }),
  Schema.TaggedStruct("updateOrganization", { from: OrganizationFields, to: OrganizationFields }),
  Schema.TaggedStruct("allocateCredits", {
    from: Schema.Int,
    to: Schema.Int,
    notes: Schema.optional(Schema.String)
  }),
  Schema.TaggedStruct("setTier", { from: Tier, to: Tier }),
  Schema.TaggedStruct("setStatus", { from: FoundStatus, to: Schema.Literal("active", "suspended") }),
  Schema.TaggedStruct("setMetadata", { from: Metadata, to: Metadata }),
  Schema.TaggedStruct("setPixel", { from: PixelSettings, to: PixelSettings }),
  Schema.TaggedStruct("createIcpConfig", {
    name: Schema.String,
    rules: IcpRules,
    active: Schema.optional(Schema.Boolean),
    priority: Schema.optional(Schema.Int)
  }),
  Schema.TaggedStruct("updateIcpConfig", {
    icpConfigId: Schema.String,
    name: Schema.String,
    from: FoundIcpFields,
    to: IcpFields
  }),
  Schema.TaggedStruct("deleteIcpConfig", { icpConfigId: Schema.String, name: Schema.String })
)
export type StepAction = typeof StepAction.Type

/** Which organization a step is about; `id` is null until a create step has run. */
export const OrganizationRef = Schema.Struct({
  id: Schema.NullOr(Schema.String),
  externalId: Schema.NullOr(Schema.String),
  name: Schema.String
})
export type OrganizationRef = typeof OrganizationRef.Type

/** Groups an organization's steps: its id, or its externalId until a create step has run. */
export const organizationKey = (organization: OrganizationRef): string =>
  organization.id ?? `external:${organization.externalId}`

/** One step of a plan. */
export const Step = Schema.Struct({
  id: Schema.String,
  organization: OrganizationRef,
  action: StepAction
})
export type Step = typeof Step.Type

/** What a fresh read says about a step: do it, it is already done, or the state moved since planning. */
export type Assessment =
  | { readonly _tag: "perform" }
  | { readonly _tag: "satisfied" }
  | { readonly _tag: "drifted"; readonly expected: unknown; readonly found: unknown }

const perform: Assessment = { _tag: "perform" }
const satisfied: Assessment = { _tag: "satisfied" }

/** Compares a freshly read value against a step's `from` and `to`. */
export const assessValue = <A>(
  from: A,
  to: A,
  found: A,
  same: (a: A, b: A) => boolean = sameJson
): Assessment =>
  same(found, to) ? satisfied : same(found, from) ? perform : { _tag: "drifted", expected: from, found }

/** Only the fields named in `shape` of `value`. */
export const pick = <A extends object>(value: A, shape: object): Partial<A> =>
  Object.fromEntries(Object.keys(shape).map((k) => [k, (value as Record<string, unknown>)[k]])) as Partial<A>

/** Domains compare as sets: order and repeats do not matter to the API. */
export const samePixel = (a: PixelSettings, b: PixelSettings): boolean =>
  a.enabled === b.enabled &&
  sameJson([...new Set(a.allowedDomains)].sort(), [...new Set(b.allowedDomains)].sort())

/** A one-line description of what a step changes. */
export const describeAction = (action: StepAction): string => {
  switch (action._tag) {
    case "createOrganization":
      return `create ${JSON.stringify(action.payload)}`
    case "updateOrganization":
      return Object.keys(action.to)
        .map(
          (k) =>
            `${k}: ${JSON.stringify(action.from[k as keyof OrganizationFields] ?? null)} → ${JSON.stringify(action.to[k as keyof OrganizationFields])}`
        )
        .join(", ")
    case "allocateCredits":
      return `credits ${action.from} → ${action.to}${action.notes === undefined ? "" : ` (${action.notes})`}`
    case "setTier":
    case "setStatus":
      return `${action._tag === "setTier" ? "tier" : "status"} ${action.from} → ${action.to}`
    case "setMetadata":
      return `metadata ${JSON.stringify(action.from)} → ${JSON.stringify(action.to)}`
    case "setPixel":
      return `pixel ${JSON.stringify(action.from)} → ${JSON.stringify(action.to)}`
    case "createIcpConfig":
      return `create ICP config "${action.name}"`
    case "updateIcpConfig":
      return `update ICP config "${action.name}" (${Object.keys(action.to).join(", ")})`
    case "deleteIcpConfig":
      return `delete ICP config "${action.name}"`
  }
}
