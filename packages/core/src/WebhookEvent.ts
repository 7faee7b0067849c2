import { Effect, ParseResult, Redacted, Schema } from "effect"
import { Id, OpenEnum, Timestamp } from "./Domain/Common.js"
import { verifyOrFail, type WebhookSignatureError } from "./WebhookSignature.js"

/** The header carrying the lowercase hex HMAC-SHA256 of the raw body. */
export const SignatureHeader = "X-Bullseye-Signature"
/** The header carrying the event name. */
export const EventHeader = "X-Bullseye-Event"
/** The header carrying the delivery id, stable across retries (de-duplicate by it). */
export const DeliveryHeader = "X-Bullseye-Delivery"

// Nested details are [decided]: a field the real API leaves out decodes as null instead of failing.
const orNull = <S extends Schema.Schema.AnyNoContext>(schema: S) =>
  Schema.optionalWith(Schema.NullOr(schema), { default: () => null })

/** A location in a webhook payload; `country` is ISO 3166 alpha-2. */
export const WebhookLocation = Schema.Struct({
  city: orNull(Schema.String),
  region: orNull(Schema.String),
  country: orNull(Schema.String)
}).annotations({ identifier: "WebhookLocation" })
export type WebhookLocation = typeof WebhookLocation.Type

/** The identified person in a `visitor.identified` payload. */
export const WebhookVisitor = Schema.Struct({
  id: Id,
  email: orNull(Schema.String),
  first_name: orNull(Schema.String),
  last_name: orNull(Schema.String),
  job_title: orNull(Schema.String),
  linkedin_url: orNull(Schema.String),
  location: orNull(WebhookLocation)
}).annotations({ identifier: "WebhookVisitor" })
export type WebhookVisitor = typeof WebhookVisitor.Type

/** The visitor's company in a `visitor.identified` payload. */
export const WebhookCompany = Schema.Struct({
  name: orNull(Schema.String),
  domain: orNull(Schema.String),
  industry: orNull(Schema.String),
  employee_count: orNull(Schema.Number),
  employee_size_range: orNull(Schema.String),
  location: orNull(WebhookLocation)
}).annotations({ identifier: "WebhookCompany" })
export type WebhookCompany = typeof WebhookCompany.Type

/** The session that led to an identification. */
export const WebhookSession = Schema.Struct({
  landing_page: orNull(Schema.String),
  pages_visited: Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] }),
  utm_source: orNull(Schema.String),
  utm_medium: orNull(Schema.String),
  utm_campaign: orNull(Schema.String),
  utm_term: orNull(Schema.String),
  utm_content: orNull(Schema.String),
  referrer: orNull(Schema.String),
  device_type: orNull(OpenEnum("DeviceType", ["desktop", "mobile", "tablet"]))
}).annotations({ identifier: "WebhookSession" })
export type WebhookSession = typeof WebhookSession.Type

/** The ICP verdict of an identification. */
export const WebhookIcp = Schema.Struct({
  match: Schema.Boolean,
  score: orNull(Schema.Number),
  icp_config_id: orNull(Schema.String)
}).annotations({ identifier: "WebhookIcp" })
export type WebhookIcp = typeof WebhookIcp.Type

/** `visitor.identified` on the identification channel; `company` is null for B2C organizations. */
export const VisitorIdentified = Schema.Struct({
  event: Schema.Literal("visitor.identified"),
  timestamp: Timestamp,
  organization_id: Id,
  session_id: Id,
  visitor: WebhookVisitor,
  company: Schema.NullOr(WebhookCompany),
  session: WebhookSession,
  icp: orNull(WebhookIcp)
}).pipe(
  Schema.attachPropertySignature("_tag", "VisitorIdentified"),
  Schema.annotations({ identifier: "VisitorIdentified" })
)
export type VisitorIdentified = typeof VisitorIdentified.Type

/** The `data` of `credits.allocated`. */
export const CreditsAllocatedData = Schema.Struct({
  credits_allocated: Schema.Int,
  previous_allocation: Schema.Int,
  credits_used: Schema.Int,
  notes: orNull(Schema.String)
}).annotations({ identifier: "CreditsAllocatedData" })
export type CreditsAllocatedData = typeof CreditsAllocatedData.Type

/** The `data` of `credits.low` and `credits.exhausted`. */
export const CreditsLevelData = Schema.Struct({
  credits_allocated: Schema.Int,
  credits_used: Schema.Int,
  credits_available: Schema.Int
}).annotations({ identifier: "CreditsLevelData" })
export type CreditsLevelData = typeof CreditsLevelData.Type

/** The `data` of `pool.low`. */
export const PoolLowData = Schema.Struct({
  credit_pool_total: Schema.Int,
  credit_pool_used: Schema.Int,
  credit_pool_available: Schema.Int
}).annotations({ identifier: "PoolLowData" })
export type PoolLowData = typeof PoolLowData.Type

const billing = <const E extends string, const T extends string, D extends Schema.Schema.AnyNoContext>(
  event: E,
  tag: T,
  data: D
) =>
  Schema.Struct({
    event: Schema.Literal(event),
    timestamp: Timestamp,
    partner_id: Id,
    organization_id: orNull(Id),
    data
  }).pipe(Schema.attachPropertySignature("_tag", tag), Schema.annotations({ identifier: tag }))

/** `credits.allocated`: an organization's allocation changed. */
export const CreditsAllocated = billing("credits.allocated", "CreditsAllocated", CreditsAllocatedData)
export type CreditsAllocated = typeof CreditsAllocated.Type

/** `credits.low`: an organization's available credits fell below 10% of its allocation. */
export const CreditsLow = billing("credits.low", "CreditsLow", CreditsLevelData)
export type CreditsLow = typeof CreditsLow.Type

/** `credits.exhausted`: an organization's available credits reached 0. */
export const CreditsExhausted = billing("credits.exhausted", "CreditsExhausted", CreditsLevelData)
export type CreditsExhausted = typeof CreditsExhausted.Type

/** `pool.low`: the partner pool's available credits fell below 10% of the total. */
export const PoolLow = billing("pool.low", "PoolLow", PoolLowData)
export type PoolLow = typeof PoolLow.Type

/** Every payload of the billing channel this SDK knows. */
export const BillingEvent = Schema.Union(CreditsAllocated, CreditsLow, CreditsExhausted, PoolLow)
export type BillingEvent = typeof BillingEvent.Type

/** The event names this SDK knows, as sent in `event` and `X-Bullseye-Event`. */
export const WebhookEventName = Schema.Literal(
  "visitor.identified",
  "credits.allocated",
  "credits.low",
  "credits.exhausted",
  "pool.low"
)
export type WebhookEventName = typeof WebhookEventName.Type

const isKnownEvent = Schema.is(WebhookEventName)

const RawObject = Schema.Record({ key: Schema.String, value: Schema.Unknown })

/** An event this SDK does not know yet, with its whole body kept in `raw`. */
export const UnknownWebhookEvent = Schema.transform(
  Schema.Struct(
    {
      event: Schema.String.pipe(Schema.filter((name) => !isKnownEvent(name) || "Expected an unknown event"))
    },
    RawObject
  ),
  Schema.Struct({ _tag: Schema.Literal("UnknownWebhookEvent"), event: Schema.String, raw: RawObject }),
  {
    strict: true,
    decode: (wire) => ({ _tag: "UnknownWebhookEvent" as const, event: wire.event, raw: wire }),
    encode: (event) => ({ ...event.raw, event: event.event })
  }
).annotations({ identifier: "UnknownWebhookEvent" })
export type UnknownWebhookEvent = typeof UnknownWebhookEvent.Type

/** Any webhook body, discriminated by the type-only `_tag` (never sent on the wire). */
export const WebhookEvent = Schema.Union(VisitorIdentified, BillingEvent, UnknownWebhookEvent)
export type WebhookEvent = typeof WebhookEvent.Type

/** A webhook body that is not JSON or does not match the schema of its event; `path` locates the problem. */
export class WebhookDecodeError extends Schema.TaggedError<WebhookDecodeError>()("WebhookDecodeError", {
  message: Schema.String,
  event: Schema.optional(Schema.String),
  path: Schema.Array(Schema.Union(Schema.String, Schema.Number))
}) {}

const decoders: Record<
  WebhookEventName,
  (u: unknown) => Effect.Effect<WebhookEvent, ParseResult.ParseError>
> = {
  "visitor.identified": Schema.decodeUnknown(VisitorIdentified),
  "credits.allocated": Schema.decodeUnknown(CreditsAllocated),
  "credits.low": Schema.decodeUnknown(CreditsLow),
  "credits.exhausted": Schema.decodeUnknown(CreditsExhausted),
  "pool.low": Schema.decodeUnknown(PoolLow)
}
const decodeUnknownEvent = Schema.decodeUnknown(UnknownWebhookEvent)

const utf8 = new TextDecoder("utf-8", { fatal: true })

const parseJson = (rawBody: Uint8Array | string) =>
  Effect.try({
    try: (): unknown => JSON.parse(typeof rawBody === "string" ? rawBody : utf8.decode(rawBody)),
    // The parser's own message quotes the body, which may carry personal data.
    catch: () => new WebhookDecodeError({ message: "The webhook body is not valid UTF-8 JSON", path: [] })
  })

const eventOf = (json: unknown): string | undefined =>
  typeof json === "object" &&
  json !== null &&
  !Array.isArray(json) &&
  "event" in json &&
  typeof json.event === "string"
    ? json.event
    : undefined

/** Parses a raw webhook body and decodes it by its `event`; unknown events become `UnknownWebhookEvent`. */
export const decodeWebhookEvent = (
  rawBody: Uint8Array | string
): Effect.Effect<WebhookEvent, WebhookDecodeError> =>
  Effect.flatMap(parseJson(rawBody), (json) => {
    const event = eventOf(json)
    if (event === undefined) {
      return Effect.fail(
        new WebhookDecodeError({
          message: "The webhook body is not an object with a string `event`",
          path: ["event"]
        })
      )
    }
    const decode = isKnownEvent(event) ? decoders[event] : decodeUnknownEvent
    return decode(json).pipe(
      Effect.mapError((error) => {
        const first = ParseResult.ArrayFormatter.formatErrorSync(error)[0]
        const path = (first?.path ?? []).map((key) => (typeof key === "number" ? key : String(key)))
        const at = path.length === 0 ? "" : ` at ${path.join(".")}`
        return new WebhookDecodeError({
          message: `Invalid ${event} webhook${at}: ${first?.message ?? error.message}`,
          event,
          path
        })
      })
    )
  })

/** Verifies the signature over the raw bytes first, then parses and decodes the body. */
export const verifyAndDecode = (
  secret: Redacted.Redacted<string>,
  rawBody: Uint8Array | string,
  signatureHeader: string | undefined
): Effect.Effect<WebhookEvent, WebhookSignatureError | WebhookDecodeError> =>
  Effect.zipRight(verifyOrFail(secret, rawBody, signatureHeader), decodeWebhookEvent(rawBody))
