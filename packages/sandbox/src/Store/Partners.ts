import type { Partner, PartnerBranding, ScriptConfig } from "@bullseye-partner/core/Domain/Partner"
import type { PricingTier } from "@bullseye-partner/core/Domain/Billing"
import type { BrandingUpdate } from "@bullseye-partner/core/Domain/Partner"
import { SqlClient } from "@effect/sql"
import { Effect, Option } from "effect"
import { randomHex, uuid } from "../internal/random.js"
import { flag, int, json, text, textOrNull, type Row } from "../internal/rows.js"
import { addMonths, storedTime, wireTime } from "../internal/time.js"

/** What the sandbox needs to create a partner account. */
export interface NewPartner {
  readonly name: string
  readonly creditPoolTotal: number
  readonly maxOrganizations: number
  readonly maxIdentificationsPerOrg: number
  readonly id?: string | undefined
}

/** A partner account as stored. */
export interface PartnerRecord {
  readonly id: string
  readonly name: string
  readonly slug: string
  readonly status: string
  readonly companyName: string
  readonly supportEmail: string | null
  readonly logoUrl: string | null
  readonly primaryColor: string
  readonly secondaryColor: string
  readonly billingMode: string
  readonly creditPoolTotal: number
  readonly maxOrganizations: number
  readonly maxIdentificationsPerOrg: number
  readonly billingPeriod: string
  readonly billingDayOfMonth: number
  readonly billingPeriodStart: string
  readonly nextBillingDate: string
  readonly stripeCustomerId: string | null
  readonly pricingTiers: ReadonlyArray<PricingTier>
  readonly poolLowNotified: boolean
  readonly createdAt: string
}

/** The partner's credit pool: `used` is the sum of the allocations of its non-canceled organizations. */
export interface Pool {
  readonly total: number
  readonly used: number
  readonly available: number
}

/** The graduated pricing every sandbox partner starts with. */
export const defaultPricingTiers: ReadonlyArray<PricingTier> = [
  { tier: "trial", pricePerIdentification: 0, minUsage: 0, maxUsage: 1000 },
  { tier: "standard", pricePerIdentification: 0.05, minUsage: 1001, maxUsage: 10000 },
  { tier: "scale", pricePerIdentification: 0.03, minUsage: 10001, maxUsage: null }
]

export const slugify = (name: string): string =>
  name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60) || "partner"

const toRecord = (row: Row): PartnerRecord => ({
  id: text(row, "id"),
  name: text(row, "name"),
  slug: text(row, "slug"),
  status: text(row, "status"),
  companyName: text(row, "company_name"),
  supportEmail: textOrNull(row, "support_email"),
  logoUrl: textOrNull(row, "logo_url"),
  primaryColor: text(row, "primary_color"),
  secondaryColor: text(row, "secondary_color"),
  billingMode: text(row, "billing_mode"),
  creditPoolTotal: int(row, "credit_pool_total"),
  maxOrganizations: int(row, "max_organizations"),
  maxIdentificationsPerOrg: int(row, "max_identifications_per_org"),
  billingPeriod: text(row, "billing_period"),
  billingDayOfMonth: int(row, "billing_day_of_month"),
  billingPeriodStart: text(row, "billing_period_start"),
  nextBillingDate: text(row, "next_billing_date"),
  stripeCustomerId: textOrNull(row, "stripe_customer_id"),
  pricingTiers: json<ReadonlyArray<PricingTier>>(row, "pricing_tiers"),
  poolLowNotified: flag(row, "pool_low_notified"),
  createdAt: text(row, "created_at")
})

/** The billing period containing `now` for a monthly cycle starting on `day`. */
export const periodContaining = (now: Date, day: number): { readonly start: Date; readonly next: Date } => {
  let start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), day))
  if (start.getTime() > now.getTime()) start = addMonths(start, -1)
  return { start, next: addMonths(start, 1) }
}

/** Partner accounts: identity, branding, limits, pool figures and billing cycle. */
export class Partners extends Effect.Service<Partners>()("@bullseye-partner/sandbox/Store/Partners", {
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient

    const find = Effect.fn("Partners.find")(function* (partnerId: string) {
      const rows = yield* sql`SELECT * FROM partners WHERE id = ${partnerId}`
      return Option.map(Option.fromNullable(rows[0]), toRecord)
    })

    const get = (partnerId: string) =>
      find(partnerId).pipe(
        Effect.flatMap(
          Option.match({
            onNone: () => Effect.dieMessage(`Partner ${partnerId} vanished`),
            onSome: Effect.succeed
          })
        )
      )

    /** Takes the partner's row lock for the rest of the transaction (PostgreSQL; SQLite serializes writers). */
    const lock = Effect.fn("Partners.lock")(function* (partnerId: string) {
      yield* sql.onDialectOrElse({
        pg: () => sql`SELECT id FROM partners WHERE id = ${partnerId} FOR UPDATE`,
        orElse: () => sql`SELECT id FROM partners WHERE id = ${partnerId}`
      })
    })

    /** The partner's pool; pass the partner's record when it was just read, to spare reading it again. */
    const pool = Effect.fn("Partners.pool")(function* (partnerId: string, known?: PartnerRecord) {
      const partner = known ?? (yield* get(partnerId))
      const rows = yield* sql`SELECT CAST(COALESCE(SUM(credits), 0) AS INTEGER) AS used FROM organizations
        WHERE partner_id = ${partnerId} AND status <> 'canceled'`
      const used = rows[0] === undefined ? 0 : int(rows[0], "used")
      return {
        total: partner.creditPoolTotal,
        used,
        available: partner.creditPoolTotal - used
      } satisfies Pool
    })

    const create = Effect.fn("Partners.create")(function* (input: NewPartner, now: Date) {
      const id = input.id ?? uuid()
      const slug = slugify(input.name)
      const period = periodContaining(now, 1)
      const at = storedTime(now)
      yield* sql`INSERT INTO partners ${sql.insert({
        id,
        name: input.name,
        slug,
        status: "active",
        company_name: input.name,
        support_email: `support@${slug}.example.com`,
        logo_url: null,
        primary_color: "#0066cc",
        secondary_color: "#333333",
        billing_mode: "pooled",
        credit_pool_total: input.creditPoolTotal,
        max_organizations: input.maxOrganizations,
        max_identifications_per_org: input.maxIdentificationsPerOrg,
        billing_period: "monthly",
        billing_day_of_month: 1,
        billing_period_start: storedTime(period.start),
        next_billing_date: storedTime(period.next),
        stripe_customer_id: `cus_test_${randomHex(7)}`,
        pricing_tiers: JSON.stringify(defaultPricingTiers),
        pool_low_notified: 0,
        created_at: at,
        updated_at: at
      })}`
      for (const type of ["identification", "billing"]) {
        yield* sql`INSERT INTO webhook_channels ${sql.insert({
          partner_id: id,
          type,
          url: null,
          enabled: 0,
          secret_ciphertext: null,
          updated_at: at
        })}`
      }
      return id
    })

    const domainOf = Effect.fn("Partners.domainOf")(function* (partnerId: string) {
      const rows = yield* sql`SELECT domain, verified FROM domains WHERE partner_id = ${partnerId}`
      const row = rows[0]
      return row === undefined
        ? { scriptDomain: null, scriptDomainVerified: false }
        : { scriptDomain: text(row, "domain"), scriptDomainVerified: flag(row, "verified") }
    })

    const me = Effect.fn("Partners.me")(function* (partnerId: string) {
      const partner = yield* get(partnerId)
      const figures = yield* pool(partnerId, partner)
      const domain = yield* domainOf(partnerId)
      const channels =
        yield* sql`SELECT type, url, enabled FROM webhook_channels WHERE partner_id = ${partnerId}`
      const channel = (type: string) => channels.find((c) => c["type"] === type)
      const identification = channel("identification")
      const billing = channel("billing")
      return {
        id: partner.id,
        name: partner.name,
        slug: partner.slug,
        status: partner.status,
        companyName: partner.companyName,
        supportEmail: partner.supportEmail,
        logoUrl: partner.logoUrl,
        primaryColor: partner.primaryColor,
        secondaryColor: partner.secondaryColor,
        scriptDomain: domain.scriptDomain,
        scriptDomainVerified: domain.scriptDomainVerified,
        billingMode: partner.billingMode,
        creditPoolTotal: figures.total,
        creditPoolUsed: figures.used,
        creditPoolAvailable: figures.available,
        maxOrganizations: partner.maxOrganizations,
        maxIdentificationsPerOrg: partner.maxIdentificationsPerOrg,
        identificationWebhookUrl: identification === undefined ? null : textOrNull(identification, "url"),
        identificationWebhookEnabled: identification !== undefined && flag(identification, "enabled"),
        billingWebhookUrl: billing === undefined ? null : textOrNull(billing, "url"),
        billingWebhookEnabled: billing !== undefined && flag(billing, "enabled"),
        createdAt: wireTime(partner.createdAt),
        isOwner: true
      } satisfies Partner
    })

    /** Where the tracking script is served: the verified custom domain, else the API's own script path. */
    const scriptBaseOf = (
      domain: { readonly scriptDomain: string | null; readonly scriptDomainVerified: boolean },
      apiBaseUrl: string
    ): string =>
      domain.scriptDomainVerified && domain.scriptDomain !== null
        ? `https://${domain.scriptDomain}`
        : `${apiBaseUrl}/visitor-tracking/script`

    const scriptBaseUrl = Effect.fn("Partners.scriptBaseUrl")(function* (
      partnerId: string,
      apiBaseUrl: string
    ) {
      return scriptBaseOf(yield* domainOf(partnerId), apiBaseUrl)
    })

    const scriptConfig = Effect.fn("Partners.scriptConfig")(function* (
      partnerId: string,
      apiBaseUrl: string
    ) {
      const partner = yield* get(partnerId)
      const domain = yield* domainOf(partnerId)
      return {
        companyName: partner.companyName,
        slug: partner.slug,
        scriptDomain: domain.scriptDomain,
        scriptDomainVerified: domain.scriptDomainVerified,
        scriptBaseUrl: scriptBaseOf(domain, apiBaseUrl),
        logoUrl: partner.logoUrl,
        primaryColor: partner.primaryColor,
        secondaryColor: partner.secondaryColor
      } satisfies ScriptConfig
    })

    const branding = (partner: PartnerRecord): PartnerBranding => ({
      id: partner.id,
      name: partner.name,
      slug: partner.slug,
      logoUrl: partner.logoUrl,
      primaryColor: partner.primaryColor,
      secondaryColor: partner.secondaryColor,
      companyName: partner.companyName
    })

    const updateBranding = Effect.fn("Partners.updateBranding")(function* (
      partnerId: string,
      update: BrandingUpdate,
      now: Date
    ) {
      const changes: Record<string, unknown> = { updated_at: storedTime(now) }
      if (update.logoUrl !== undefined) changes["logo_url"] = update.logoUrl
      if (update.primaryColor !== undefined) changes["primary_color"] = update.primaryColor
      if (update.secondaryColor !== undefined) changes["secondary_color"] = update.secondaryColor
      if (update.companyName !== undefined) changes["company_name"] = update.companyName
      yield* sql`UPDATE partners SET ${sql.update(changes)} WHERE id = ${partnerId}`
      return branding(yield* get(partnerId))
    })

    const ids = sql`SELECT id FROM partners ORDER BY created_at, id`.pipe(
      Effect.map((rows) => rows.map((row) => text(row, "id")))
    )

    const setPoolLowNotified = Effect.fn("Partners.setPoolLowNotified")(function* (
      partnerId: string,
      notified: boolean
    ) {
      yield* sql`UPDATE partners SET pool_low_notified = ${notified ? 1 : 0} WHERE id = ${partnerId}`
    })

    const advancePeriod = Effect.fn("Partners.advancePeriod")(function* (
      partnerId: string,
      start: Date,
      next: Date
    ) {
      yield* sql`UPDATE partners SET billing_period_start = ${storedTime(start)}, next_billing_date = ${storedTime(next)}
        WHERE id = ${partnerId}`
    })

    return {
      find,
      get,
      lock,
      pool,
      create,
      me,
      scriptConfig,
      scriptBaseUrl,
      updateBranding,
      ids,
      setPoolLowNotified,
      advancePeriod
    }
  })
}) {}
