import type {
  BillingCalculation,
  BillingInfo,
  BillingPeriodUsage,
  PricingTier
} from "@bullseye-partner/core/Domain/Billing"
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import { uuid } from "../internal/random.js"
import { int, json, text } from "../internal/rows.js"
import { addMonths, storedTime, wireTime } from "../internal/time.js"
import { Organizations } from "./Organizations.js"
import { Partners } from "./Partners.js"

const cents = (amount: number): number => Math.round((amount + Number.EPSILON) * 100) / 100

/**
 * Prices a usage under graduated tiers: band k covers the units above the previous band's
 * `maxUsage` up to its own; units beyond the last band's `maxUsage` are priced by the last band.
 */
export const calculate = (tiers: ReadonlyArray<PricingTier>, usage: number): BillingCalculation => {
  let previousMax = 0
  let total = 0
  const breakdown = tiers.map((tier, index) => {
    const isLast = index === tiers.length - 1
    const upper = isLast || tier.maxUsage === null ? Number.POSITIVE_INFINITY : tier.maxUsage
    const units = Math.max(0, Math.min(usage, upper) - previousMax)
    previousMax = Math.max(previousMax, upper)
    const cost = units * tier.pricePerIdentification
    total += cost
    return { tier: tier.tier, units, pricePerIdentification: tier.pricePerIdentification, cost: cents(cost) }
  })
  return { usage, totalCost: cents(total), currency: "USD", breakdown }
}

/** A closed billing period and the usage it ended with. */
export interface ClosedPeriod {
  readonly id: string
  readonly closedAt: string
  readonly usage: BillingPeriodUsage
}

/** Billing cycle, pricing, period usage and the closing of periods. */
export class Billing extends Effect.Service<Billing>()("@bullseye-partner/sandbox/Store/Billing", {
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const partners = yield* Partners
    const organizations = yield* Organizations

    const usageBetween = Effect.fn("Billing.usageBetween")(function* (
      partnerId: string,
      tiers: ReadonlyArray<PricingTier>,
      start: string,
      end: string
    ) {
      const byOrganization = yield* sql`SELECT o.id AS organization_id, o.name AS name,
          CAST(COUNT(v.id) AS INTEGER) AS identifications
        FROM visitors v JOIN organizations o ON o.id = v.organization_id
        WHERE v.partner_id = ${partnerId} AND v.identified_at >= ${start} AND v.identified_at < ${end}
        GROUP BY o.id, o.name
        ORDER BY identifications DESC, o.id`
      const identifications = byOrganization.reduce((n, row) => n + int(row, "identifications"), 0)
      return {
        periodStart: wireTime(start),
        periodEnd: wireTime(end),
        identifications,
        creditsUsed: identifications,
        estimatedCost: calculate(tiers, identifications).totalCost,
        currency: "USD",
        organizations: byOrganization.slice(0, 100).map((row) => ({
          organizationId: text(row, "organization_id"),
          name: text(row, "name"),
          identifications: int(row, "identifications")
        }))
      } satisfies BillingPeriodUsage
    })

    /** Closes every period that ended by `now`: usage is kept, organizations' used credits return to 0. */
    const closeDue = Effect.fn("Billing.closeDue")(function* (partnerId: string, now: Date) {
      return yield* sql.withTransaction(
        Effect.gen(function* () {
          yield* partners.lock(partnerId)
          const closed: Array<ClosedPeriod> = []
          let partner = yield* partners.get(partnerId)
          while (Date.parse(partner.nextBillingDate) <= now.getTime()) {
            const usage = yield* usageBetween(
              partnerId,
              partner.pricingTiers,
              partner.billingPeriodStart,
              partner.nextBillingDate
            )
            const id = uuid()
            const closedAt = storedTime(now)
            yield* sql`INSERT INTO billing_periods ${sql.insert({
              id,
              partner_id: partnerId,
              period_start: partner.billingPeriodStart,
              period_end: partner.nextBillingDate,
              usage: JSON.stringify(usage),
              closed_at: closedAt
            })}`
            closed.push({ id, closedAt: wireTime(closedAt), usage })
            yield* organizations.renewCredits(partnerId)
            const start = new Date(partner.nextBillingDate)
            yield* partners.advancePeriod(partnerId, start, addMonths(start, 1))
            partner = yield* partners.get(partnerId)
          }
          return closed
        })
      )
    })

    const info = Effect.fn("Billing.info")(function* (partnerId: string) {
      const partner = yield* partners.get(partnerId)
      const pool = yield* partners.pool(partnerId, partner)
      return {
        partnerId,
        billingMode: partner.billingMode,
        billingPeriod: partner.billingPeriod,
        billingDayOfMonth: partner.billingDayOfMonth,
        billingPeriodStart: wireTime(partner.billingPeriodStart),
        nextBillingDate: wireTime(partner.nextBillingDate),
        stripeCustomerId: partner.stripeCustomerId,
        pricingTiers: partner.pricingTiers,
        creditPoolTotal: pool.total,
        creditPoolUsed: pool.used,
        creditPoolAvailable: pool.available
      } satisfies BillingInfo
    })

    const currentUsage = Effect.fn("Billing.currentUsage")(function* (partnerId: string) {
      const partner = yield* partners.get(partnerId)
      return yield* usageBetween(
        partnerId,
        partner.pricingTiers,
        partner.billingPeriodStart,
        partner.nextBillingDate
      )
    })

    const pricing = Effect.fn("Billing.pricing")(function* (partnerId: string) {
      return (yield* partners.get(partnerId)).pricingTiers
    })

    const closedPeriods = Effect.fn("Billing.closedPeriods")(function* (partnerId: string) {
      const rows = yield* sql`SELECT id, closed_at, usage FROM billing_periods WHERE partner_id = ${partnerId}
        ORDER BY period_start DESC`
      return rows.map((row): ClosedPeriod => ({
        id: text(row, "id"),
        closedAt: wireTime(text(row, "closed_at")),
        usage: json<BillingPeriodUsage>(row, "usage")
      }))
    })

    return { info, currentUsage, pricing, closeDue, closedPeriods }
  }),
  dependencies: [Partners.Default, Organizations.Default]
}) {}
