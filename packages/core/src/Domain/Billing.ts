import { Schema } from "effect"
import { Id, IntFromString, OpenEnum, Timestamp } from "./Common.js"
import { BillingMode } from "./Partner.js"
import { BillingPeriod } from "./Organization.js"

/** A graduated pricing band; `maxUsage` is null on an open-ended last band. */
export const PricingTier = Schema.Struct({
  tier: Schema.String,
  pricePerIdentification: Schema.Number,
  minUsage: Schema.Int,
  maxUsage: Schema.NullOr(Schema.Int)
}).annotations({ identifier: "PricingTier" })
export type PricingTier = typeof PricingTier.Type

/** The partner's billing setup and pool (`GET /partner/billing`). */
export const BillingInfo = Schema.Struct({
  partnerId: Id,
  billingMode: BillingMode,
  billingPeriod: BillingPeriod,
  billingDayOfMonth: Schema.Int,
  billingPeriodStart: Timestamp,
  nextBillingDate: Timestamp,
  stripeCustomerId: Schema.NullOr(Schema.String),
  pricingTiers: Schema.Array(PricingTier),
  creditPoolTotal: Schema.Int,
  creditPoolUsed: Schema.Int,
  creditPoolAvailable: Schema.Int
}).annotations({ identifier: "BillingInfo" })
export type BillingInfo = typeof BillingInfo.Type

/** Usage of the current billing period. */
export const BillingPeriodUsage = Schema.Struct({
  periodStart: Timestamp,
  periodEnd: Timestamp,
  identifications: Schema.Int,
  creditsUsed: Schema.Int,
  estimatedCost: Schema.Number,
  currency: OpenEnum("Currency", ["USD"]),
  organizations: Schema.Array(
    Schema.Struct({ organizationId: Id, name: Schema.String, identifications: Schema.Int })
  )
}).annotations({ identifier: "BillingPeriodUsage" })
export type BillingPeriodUsage = typeof BillingPeriodUsage.Type

/** The price of a usage under the graduated tiers. */
export const BillingCalculation = Schema.Struct({
  usage: Schema.Int,
  totalCost: Schema.Number,
  currency: OpenEnum("Currency", ["USD"]),
  breakdown: Schema.Array(
    Schema.Struct({
      tier: Schema.String,
      units: Schema.Int,
      pricePerIdentification: Schema.Number,
      cost: Schema.Number
    })
  )
}).annotations({ identifier: "BillingCalculation" })
export type BillingCalculation = typeof BillingCalculation.Type

/** Query of `GET /partner/billing/calculate`. */
export const BillingCalculateParams = {
  usage: IntFromString.pipe(Schema.greaterThanOrEqualTo(0)).annotations({
    description: "Number of identifications to price",
    jsonSchema: { type: "integer", minimum: 0 }
  })
}
