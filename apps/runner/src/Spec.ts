import { MetadataValue } from "@bullseye-partner/core/Domain/Common"
import { IcpRules } from "@bullseye-partner/core/Domain/Icp"
import { AllowedDomain } from "@bullseye-partner/core/Domain/Organization"
import { Either, Schema } from "effect"
import { parse as parseYaml } from "yaml"
import { decodeAt, expected, type Problem } from "./internal/problems.js"

const NonNegativeInt = Schema.Int.pipe(Schema.greaterThanOrEqualTo(0)).annotations(
  expected("an integer >= 0")
)
const PositiveInt = Schema.Int.pipe(Schema.greaterThanOrEqualTo(1)).annotations(expected("an integer >= 1"))
const Text = (max: number) =>
  Schema.String.pipe(Schema.minLength(1), Schema.maxLength(max)).annotations(
    expected(`a string of 1..${max} characters`)
  )
const OneOf = <const L extends ReadonlyArray<string>>(...values: L) =>
  Schema.Literal(...values).annotations(expected(`one of ${values.join(", ")}`))

const Status = OneOf("active", "canceled", "suspended")
const Tier = OneOf("trial", "paid")
const SettableStatus = OneOf("active", "suspended")
const ProductType = OneOf("B2B", "B2C")
const BillingPeriod = OneOf("monthly", "quarterly", "annually", "annual")

/** Flat metadata as the API accepts it: at most 50 keys of 1..40 characters. */
export const Metadata = Schema.Record({
  key: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(40)).annotations(
    expected("a key of 1..40 characters")
  ),
  value: MetadataValue.annotations(expected("a string (<= 500 characters), number, boolean or null"))
}).pipe(Schema.filter((m) => Object.keys(m).length <= 50 || "expected at most 50 keys"))
export type Metadata = typeof Metadata.Type

/** Which organizations the actions apply to; every condition is AND-ed. */
export const Selector = Schema.Struct({
  status: Schema.optional(Schema.Array(Status)),
  tier: Schema.optional(Schema.Array(Tier)),
  externalIds: Schema.optional(Schema.Array(Text(255))),
  externalIdPrefix: Schema.optional(Text(255)),
  nameContains: Schema.optional(Text(255)),
  metadata: Schema.optional(Metadata)
})
export type Selector = typeof Selector.Type

const actionSchemas = {
  allocateCredits: Schema.Struct({
    credits: NonNegativeInt,
    notes: Schema.optional(
      Schema.String.pipe(Schema.maxLength(500)).annotations(expected("at most 500 characters"))
    )
  }),
  setTier: Tier,
  setStatus: SettableStatus,
  mergeMetadata: Metadata,
  setPixel: Schema.Struct({
    allowedDomains: Schema.optional(
      Schema.Array(AllowedDomain.annotations(expected("a bare lowercase hostname, *. prefix allowed"))).pipe(
        Schema.maxItems(50)
      )
    ),
    enabled: Schema.optional(Schema.Boolean.annotations(expected("true or false")))
  }).pipe(
    Schema.filter(
      (p) => p.allowedDomains !== undefined || p.enabled !== undefined || "expected allowedDomains or enabled"
    )
  ),
  upsertIcpConfig: Schema.Struct({
    name: Text(100),
    rules: IcpRules,
    active: Schema.optional(Schema.Boolean.annotations(expected("true or false"))),
    priority: Schema.optional(PositiveInt)
  }),
  deleteIcpConfig: Schema.Struct({ name: Text(100) })
}

type ActionSchemas = typeof actionSchemas
type ActionName = keyof ActionSchemas

/** One action of a spec: its name and its decoded argument. */
export type Action = {
  readonly [K in ActionName]: { readonly _tag: K; readonly value: ActionSchemas[K]["Type"] }
}[ActionName]

export const actionNames = Object.keys(actionSchemas) as ReadonlyArray<ActionName>

/** A create-or-update of one organization, keyed by externalId. */
export const ProvisionEntry = Schema.Struct({
  name: Schema.Trim.pipe(Schema.minLength(1), Schema.maxLength(255)).annotations(
    expected("a name of 1..255 characters")
  ),
  externalId: Text(255),
  tier: Schema.optional(Tier),
  initialCredits: Schema.optional(NonNegativeInt),
  productType: Schema.optional(ProductType),
  billingPeriod: Schema.optional(BillingPeriod),
  billingDayOfMonth: Schema.optional(
    Schema.Int.pipe(Schema.between(1, 28)).annotations(expected("an integer 1..28"))
  ),
  ownerUserId: Schema.optional(Text(255)),
  metadata: Schema.optional(Metadata)
})
export type ProvisionEntry = typeof ProvisionEntry.Type

/** A decoded spec: what to select, what to do to each selected organization, what to provision. */
export interface Spec {
  readonly select: Selector
  readonly actions: ReadonlyArray<Action>
  readonly provision: ReadonlyArray<ProvisionEntry>
  /** A CSV file of provision entries, relative to the spec file. */
  readonly provisionCsv: string | undefined
}

const isRecord = (u: unknown): u is Record<string, unknown> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

const collect = <A>(
  result: Either.Either<A, ReadonlyArray<Problem>>,
  problems: Array<Problem>
): A | undefined => {
  if (Either.isLeft(result)) {
    problems.push(...result.left)
    return undefined
  }
  return result.right
}

const decodeAction = (raw: unknown, at: string, problems: Array<Problem>): Action | undefined => {
  const keys = isRecord(raw) ? Object.keys(raw) : []
  if (!isRecord(raw) || keys.length !== 1) {
    problems.push({
      location: at,
      message: `expected an object with exactly one of ${actionNames.join(", ")}`
    })
    return undefined
  }
  const name = keys[0]!
  if (!(actionNames as ReadonlyArray<string>).includes(name)) {
    problems.push({ location: `${at}.${name}`, message: `unknown action (known: ${actionNames.join(", ")})` })
    return undefined
  }
  const tag = name as ActionName
  const value = collect(
    decodeAt(actionSchemas[tag] as Schema.Schema<unknown, unknown>, raw[tag], `${at}.${tag}`),
    problems
  )
  return value === undefined ? undefined : ({ _tag: tag, value } as Action)
}

/** Validates a parsed document; every problem is listed with its location. */
export const decodeSpec = (doc: unknown): Either.Either<Spec, ReadonlyArray<Problem>> => {
  const problems: Array<Problem> = []
  if (!isRecord(doc))
    return Either.left([
      { location: "", message: "expected a mapping with select, actions, provision or provisionCsv" }
    ])
  for (const key of Object.keys(doc)) {
    if (!["select", "actions", "provision", "provisionCsv"].includes(key))
      problems.push({
        location: key,
        message: "unknown field (known: select, actions, provision, provisionCsv)"
      })
  }
  const select =
    doc["select"] === undefined || doc["select"] === null
      ? {}
      : collect(decodeAt(Selector, doc["select"], "select"), problems)
  const actions: Array<Action> = []
  const rawActions = doc["actions"] ?? []
  if (!Array.isArray(rawActions))
    problems.push({ location: "actions", message: "expected a list of actions" })
  else
    rawActions.forEach((raw: unknown, i) => {
      const action = decodeAction(raw, `actions[${i}]`, problems)
      if (action !== undefined) actions.push(action)
    })
  const provision: Array<ProvisionEntry> = []
  const rawProvision = doc["provision"] ?? []
  if (!Array.isArray(rawProvision))
    problems.push({ location: "provision", message: "expected a list of organizations" })
  else
    rawProvision.forEach((raw: unknown, i) => {
      const entry = collect(decodeAt(ProvisionEntry, raw, `provision[${i}]`), problems)
      if (entry !== undefined) provision.push(entry)
    })
  problems.push(...duplicateExternalIds(provision, (i) => `provision[${i}].externalId`))
  const provisionCsv = doc["provisionCsv"]
  if (provisionCsv !== undefined && (typeof provisionCsv !== "string" || provisionCsv.trim() === ""))
    problems.push({ location: "provisionCsv", message: "expected the path of a CSV file" })
  if (problems.length === 0 && actions.length === 0 && provision.length === 0 && provisionCsv === undefined)
    problems.push({ location: "", message: "nothing to do: give actions, provision or provisionCsv" })
  return problems.length > 0 || select === undefined
    ? Either.left(problems)
    : Either.right({
        select,
        actions,
        provision,
        provisionCsv: typeof provisionCsv === "string" ? provisionCsv : undefined
      })
}

/** The problems of repeated externalIds among provision entries. */
export const duplicateExternalIds = (
  entries: ReadonlyArray<ProvisionEntry>,
  at: (index: number) => string
): ReadonlyArray<Problem> => {
  const seen = new Map<string, number>()
  const problems: Array<Problem> = []
  entries.forEach((e, i) => {
    const first = seen.get(e.externalId)
    if (first === undefined) seen.set(e.externalId, i)
    else
      problems.push({
        location: at(i),
        message: `duplicate externalId "${e.externalId}" (first at ${at(first)})`
      })
  })
  return problems
}

/** Parses YAML (a superset of JSON) and validates it. */
export const parseSpec = (text: string): Either.Either<Spec, ReadonlyArray<Problem>> => {
  let doc: unknown
  try {
    doc = parseYaml(text, { prettyErrors: true })
  } catch (error) {
    // The first line names the problem and its position; the rest is an excerpt, which the colon introduces.
    const message =
      error instanceof Error ? (error.message.split("\n")[0] ?? "").replace(/:$/, "") : String(error)
    return Either.left([{ location: "", message: `not valid YAML or JSON: ${message}` }])
  }
  return decodeSpec(doc)
}
