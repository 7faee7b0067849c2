import { Schema } from "effect"
import { Id, Metadata, MetadataInput, NonNegativeInt, OpenEnum, Timestamp } from "./Common.js"

/** An organization's status as requests name it; `canceled` is terminal. */
export const OrganizationStatus = Schema.Literal("active", "canceled", "suspended")
export type OrganizationStatus = typeof OrganizationStatus.Type

/** An organization's status as returned: open, since the vendor speaks of "disabling" an organization. */
export const OrganizationStatusName = OpenEnum("OrganizationStatusName", OrganizationStatus.literals)

/** An organization's tier. */
export const Tier = Schema.Literal("trial", "paid")
export type Tier = typeof Tier.Type

/** B2B organizations identify companies; B2C ones only people. */
export const ProductType = Schema.Literal("B2B", "B2C")
export type ProductType = typeof ProductType.Type

/** A billing period; `annual` is accepted as a synonym of `annually`. */
export const BillingPeriodInput = Schema.transform(
  Schema.Literal("monthly", "quarterly", "annually", "annual"),
  Schema.Literal("monthly", "quarterly", "annually"),
  {
    strict: true,
    decode: (p) => (p === "annual" ? "annually" : p),
    encode: (p) => p
  }
).annotations({ identifier: "BillingPeriod" })

/** A billing period as returned (open: the vendor's docs disagree). */
export const BillingPeriod = OpenEnum("BillingPeriodName", ["monthly", "quarterly", "annually"])

const Name = Schema.Trim.pipe(Schema.minLength(1), Schema.maxLength(255))
const ExternalId = Schema.String.pipe(Schema.minLength(1), Schema.maxLength(255))
const BillingDayOfMonth = Schema.Int.pipe(Schema.between(1, 28))

/** A client organization of the partner. */
export const Organization = Schema.Struct({
  id: Id,
  name: Schema.String,
  externalId: Schema.NullOr(Schema.String),
  status: OrganizationStatusName,
  tier: Tier,
  credits: Schema.Int,
  metadata: Metadata,
  createdAt: Timestamp,
  creditsUsed: Schema.optional(Schema.Int),
  creditsAvailable: Schema.optional(Schema.Int),
  productType: Schema.optional(OpenEnum("ProductTypeName", ["B2B", "B2C"])),
  billingPeriod: Schema.optional(BillingPeriod),
  billingDayOfMonth: Schema.optional(Schema.Int),
  ownerUserId: Schema.optional(Schema.NullOr(Schema.String)),
  updatedAt: Schema.optional(Timestamp),
  canceledAt: Schema.optional(Schema.NullOr(Timestamp))
}).annotations({ identifier: "Organization" })
export type Organization = typeof Organization.Type

/** The body of `POST /partner/organizations`. */
export const OrganizationCreate = Schema.Struct({
  name: Name,
  externalId: Schema.optional(ExternalId),
  ownerUserId: Schema.optional(Schema.String.pipe(Schema.minLength(1), Schema.maxLength(255))),
  initialCredits: Schema.optional(NonNegativeInt),
  metadata: Schema.optional(MetadataInput),
  tier: Schema.optional(Tier),
  billingPeriod: Schema.optional(BillingPeriodInput),
  billingDayOfMonth: Schema.optional(BillingDayOfMonth),
  productType: Schema.optional(ProductType)
}).annotations({ identifier: "OrganizationCreate", parseOptions: { onExcessProperty: "error" } })
export type OrganizationCreate = typeof OrganizationCreate.Type

/** The body of `PUT /partner/organizations/{id}`: fields left out are unchanged, `null` clears. */
export const OrganizationUpdate = Schema.Struct({
  name: Schema.optional(Name),
  externalId: Schema.optional(Schema.NullOr(ExternalId)),
  ownerUserId: Schema.optional(Schema.NullOr(Schema.String.pipe(Schema.minLength(1), Schema.maxLength(255)))),
  metadata: Schema.optional(MetadataInput),
  billingPeriod: Schema.optional(BillingPeriodInput),
  billingDayOfMonth: Schema.optional(BillingDayOfMonth),
  productType: Schema.optional(ProductType)
}).annotations({ identifier: "OrganizationUpdate", parseOptions: { onExcessProperty: "error" } })
export type OrganizationUpdate = typeof OrganizationUpdate.Type

/** The body of `PUT .../status`. */
export const StatusChange = Schema.Struct({
  status: Schema.Literal("active", "suspended")
}).annotations({ identifier: "StatusChange", parseOptions: { onExcessProperty: "error" } })

/** The body of `PUT .../tier`. */
export const TierChange = Schema.Struct({
  tier: Tier
}).annotations({ identifier: "TierChange", parseOptions: { onExcessProperty: "error" } })

/** The body of `PUT .../credits`: sets (does not add to) the allocation. */
export const CreditAllocationRequest = Schema.Struct({
  credits: NonNegativeInt,
  notes: Schema.optional(Schema.String.pipe(Schema.maxLength(500)))
}).annotations({ identifier: "CreditAllocationRequest", parseOptions: { onExcessProperty: "error" } })
export type CreditAllocationRequest = typeof CreditAllocationRequest.Type

/** A credit allocation of one organization. */
export const Allocation = Schema.Struct({
  id: Id,
  partnerId: Id,
  organizationId: Id,
  creditsAllocated: Schema.Int,
  creditsUsed: Schema.Int,
  creditsAvailable: Schema.Int,
  allocatedAt: Timestamp,
  notes: Schema.optional(Schema.NullOr(Schema.String))
}).annotations({ identifier: "Allocation" })
export type Allocation = typeof Allocation.Type

/** Query of `GET /partner/organizations`. */
export const OrganizationListParams = {
  status: Schema.optional(OrganizationStatus),
  search: Schema.optional(Schema.String.pipe(Schema.maxLength(255))),
  externalId: Schema.optional(Schema.String.pipe(Schema.maxLength(255)))
}

const hostnameLabel = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/

/** Whether a string is a bare lowercase hostname of two or more labels (no scheme, port, path or IP). */
export const isHostname = (s: string): boolean => {
  if (s.length === 0 || s.length > 253) return false
  const labels = s.split(".")
  if (labels.length < 2) return false
  if (!labels.every((l) => hostnameLabel.test(l))) return false
  return !/^\d+$/.test(labels[labels.length - 1] ?? "")
}

/** A pixel's allowed domain: a bare lowercase hostname, `*.` prefix allowed. */
export const AllowedDomain = Schema.String.pipe(
  Schema.filter(
    (d) =>
      isHostname(d.startsWith("*.") ? d.slice(2) : d) ||
      `Expected a bare lowercase hostname (optionally prefixed by *.), got "${d}"`
  ),
  Schema.annotations({ identifier: "AllowedDomain" })
)

/** An organization's tracking pixel. */
export const Pixel = Schema.Struct({
  organizationId: Id,
  pixelId: Schema.String,
  scriptUrl: Schema.String,
  snippet: Schema.String,
  allowedDomains: Schema.Array(Schema.String),
  enabled: Schema.Boolean,
  lastEventAt: Schema.NullOr(Timestamp)
}).annotations({ identifier: "Pixel" })
export type Pixel = typeof Pixel.Type

/** The body of `PUT .../pixel`. */
export const PixelUpdate = Schema.Struct({
  allowedDomains: Schema.optional(Schema.Array(AllowedDomain).pipe(Schema.maxItems(50))),
  enabled: Schema.optional(Schema.Boolean)
}).annotations({ identifier: "PixelUpdate", parseOptions: { onExcessProperty: "error" } })
export type PixelUpdate = typeof PixelUpdate.Type
