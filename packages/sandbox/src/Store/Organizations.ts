import type { OrganizationListQuery } from "@bullseye-partner/core/Api/Organizations"
import type {
  Allocation,
  CreditAllocationRequest,
  Organization,
  OrganizationCreate,
  OrganizationUpdate,
  Pixel,
  PixelUpdate,
  Tier
} from "@bullseye-partner/core/Domain/Organization"
import type { NotFound, UnprocessableEntity } from "@bullseye-partner/core/Errors"
import { SqlClient } from "@effect/sql"
import { Effect, Option } from "effect"
import { conflict, notFound, unprocessable } from "../internal/errors.js"
import { randomBase62, uuid } from "../internal/random.js"
import { bit, flag, int, json, likeContains, text, textOrNull, type Row } from "../internal/rows.js"
import { storedTime, wireTime, wireTimeOrNull } from "../internal/time.js"
import { billingEvent } from "../Webhooks/Payloads.js"
import { Outbox } from "./Outbox.js"
import { Partners } from "./Partners.js"

/** The most credits a trial organization may hold. */
export const trialCreditCap = 500

/** An organization as stored, with the counters the API derives fields from. */
export interface OrganizationRecord {
  readonly id: string
  readonly partnerId: string
  readonly name: string
  readonly externalId: string | null
  readonly status: "active" | "suspended" | "canceled"
  readonly tier: Tier
  readonly credits: number
  readonly creditsUsed: number
  readonly lowNotified: boolean
  readonly exhaustedNotified: boolean
  readonly productType: string
}

/** Everything needed to insert an organization and its pixel (API creation and the demo seed). */
export interface OrganizationInsert {
  readonly id: string
  readonly partnerId: string
  readonly name: string
  readonly externalId: string | null
  readonly ownerUserId: string | null
  readonly status: "active" | "suspended" | "canceled"
  readonly tier: Tier
  readonly productType: string
  readonly billingPeriod: string
  readonly billingDayOfMonth: number
  readonly metadata: Readonly<Record<string, unknown>>
  readonly credits: number
  readonly creditsUsed: number
  readonly createdAt: Date
  readonly pixelId: string
  readonly allowedDomains: ReadonlyArray<string>
  readonly pixelEnabled: boolean
}

const statusOf = (value: string): OrganizationRecord["status"] =>
  value === "suspended" ? "suspended" : value === "canceled" ? "canceled" : "active"

const toRecord = (row: Row): OrganizationRecord => ({
  id: text(row, "id"),
  partnerId: text(row, "partner_id"),
  name: text(row, "name"),
  externalId: textOrNull(row, "external_id"),
  status: statusOf(text(row, "status")),
  tier: text(row, "tier") === "paid" ? "paid" : "trial",
  credits: int(row, "credits"),
  creditsUsed: int(row, "credits_used"),
  lowNotified: flag(row, "low_notified"),
  exhaustedNotified: flag(row, "exhausted_notified"),
  productType: text(row, "product_type")
})

const toOrganization = (row: Row): Organization => ({
  id: text(row, "id"),
  name: text(row, "name"),
  externalId: textOrNull(row, "external_id"),
  status: statusOf(text(row, "status")),
  tier: text(row, "tier") === "paid" ? "paid" : "trial",
  credits: int(row, "credits"),
  metadata: json<Record<string, unknown>>(row, "metadata"),
  createdAt: wireTime(text(row, "created_at")),
  creditsUsed: int(row, "credits_used"),
  creditsAvailable: int(row, "credits") - int(row, "credits_used"),
  productType: text(row, "product_type"),
  billingPeriod: text(row, "billing_period"),
  billingDayOfMonth: int(row, "billing_day_of_month"),
  ownerUserId: textOrNull(row, "owner_user_id"),
  updatedAt: wireTime(text(row, "updated_at")),
  canceledAt: wireTimeOrNull(textOrNull(row, "canceled_at"))
})

const toAllocation = (row: Row): Allocation => ({
  id: text(row, "id"),
  partnerId: text(row, "partner_id"),
  organizationId: text(row, "organization_id"),
  creditsAllocated: int(row, "credits_allocated"),
  creditsUsed: int(row, "credits_used"),
  creditsAvailable: int(row, "credits_allocated") - int(row, "credits_used"),
  allocatedAt: wireTime(text(row, "allocated_at")),
  notes: textOrNull(row, "notes")
})

const missing = (organizationId: string): NotFound => notFound(`Organization ${organizationId} not found`)

const canceled = (organizationId: string): UnprocessableEntity =>
  unprocessable("organization_canceled", `Organization ${organizationId} is canceled`, { organizationId })

const trialCap = (requested: number): UnprocessableEntity =>
  unprocessable("trial_credit_cap", `Trial organizations may hold at most ${trialCreditCap} credits`, {
    requested,
    cap: trialCreditCap
  })

/** A pixel id: `px_` and 20 base62 characters. */
export const newPixelId = (): string => `px_${randomBase62(20)}`

/**
 * Organizations with their credits and pixels. Every change to credits runs in one transaction
 * holding the partner's lock, so concurrent allocations can never overdraw the pool.
 */
export class Organizations extends Effect.Service<Organizations>()(
  "@bullseye-partner/sandbox/Store/Organizations",
  {
    effect: Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const partners = yield* Partners
      const outbox = yield* Outbox

      const row = (partnerId: string, organizationId: string) =>
        sql`SELECT * FROM organizations WHERE id = ${organizationId} AND partner_id = ${partnerId}`.pipe(
          Effect.map((rows) => Option.fromNullable(rows[0]))
        )

      const required = (partnerId: string, organizationId: string) =>
        row(partnerId, organizationId).pipe(
          Effect.flatMap(
            Option.match({ onNone: () => Effect.fail(missing(organizationId)), onSome: Effect.succeed })
          )
        )

      const find = Effect.fn("Organizations.find")(function* (partnerId: string, organizationId: string) {
        return Option.map(yield* row(partnerId, organizationId), toRecord)
      })

      const get = Effect.fn("Organizations.get")(function* (partnerId: string, organizationId: string) {
        return toOrganization(yield* required(partnerId, organizationId))
      })

      const list = Effect.fn("Organizations.list")(function* (
        partnerId: string,
        query: OrganizationListQuery
      ) {
        const page = query.page ?? 1
        const pageSize = query.pageSize ?? 20
        const where = sql.and([
          sql`partner_id = ${partnerId}`,
          ...(query.status === undefined ? [] : [sql`status = ${query.status}`]),
          ...(query.externalId === undefined ? [] : [sql`external_id = ${query.externalId}`]),
          ...(query.search === undefined
            ? []
            : [sql`LOWER(name) LIKE ${likeContains(query.search)} ESCAPE '\\'`])
        ])
        const counted =
          yield* sql`SELECT CAST(COUNT(*) AS INTEGER) AS total FROM organizations WHERE ${where}`
        const rows = yield* sql`SELECT * FROM organizations WHERE ${where}
        ORDER BY created_at DESC, id DESC LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`
        return {
          organizations: rows.map(toOrganization),
          total: counted[0] === undefined ? 0 : int(counted[0], "total"),
          page,
          pageSize
        }
      })

      const duplicateExternalId = (partnerId: string, externalId: string, exceptId: string | null) =>
        sql`SELECT id FROM organizations WHERE partner_id = ${partnerId} AND external_id = ${externalId}
        AND status <> 'canceled' AND id <> ${exceptId ?? ""}`.pipe(
          Effect.flatMap((rows) =>
            rows.length === 0
              ? Effect.void
              : Effect.fail(
                  conflict(`An organization with externalId "${externalId}" already exists`, {
                    externalId,
                    organizationId: text(rows[0] ?? {}, "id")
                  })
                )
          )
        )

      const insert = Effect.fn("Organizations.insert")(function* (input: OrganizationInsert) {
        const at = storedTime(input.createdAt)
        yield* sql`INSERT INTO organizations ${sql.insert({
          id: input.id,
          partner_id: input.partnerId,
          name: input.name,
          external_id: input.externalId,
          owner_user_id: input.ownerUserId,
          status: input.status,
          tier: input.tier,
          product_type: input.productType,
          billing_period: input.billingPeriod,
          billing_day_of_month: input.billingDayOfMonth,
          metadata: JSON.stringify(input.metadata),
          credits: input.credits,
          credits_used: input.creditsUsed,
          low_notified: 0,
          exhausted_notified: 0,
          created_at: at,
          updated_at: at,
          canceled_at: input.status === "canceled" ? at : null
        })}`
        yield* sql`INSERT INTO pixels ${sql.insert({
          organization_id: input.id,
          pixel_id: input.pixelId,
          allowed_domains: JSON.stringify(input.allowedDomains),
          enabled: bit(input.pixelEnabled),
          last_event_at: null
        })}`
      })

      const recordAllocation = (input: {
        readonly partnerId: string
        readonly organizationId: string
        readonly credits: number
        readonly previous: number
        readonly creditsUsed: number
        readonly notes: string | null
        readonly now: Date
      }) =>
        Effect.gen(function* () {
          const allocation = {
            id: uuid(),
            partner_id: input.partnerId,
            organization_id: input.organizationId,
            credits_allocated: input.credits,
            previous_allocation: input.previous,
            credits_used: input.creditsUsed,
            notes: input.notes,
            allocated_at: storedTime(input.now)
          }
          yield* sql`INSERT INTO allocations ${sql.insert(allocation)}`
          // Setting the allocation it already has changes nothing, so there is no event (a retried PUT stays silent).
          if (input.credits === input.previous) return toAllocation(allocation)
          yield* outbox.emit({
            partnerId: input.partnerId,
            type: "billing",
            event: "credits.allocated",
            organizationId: input.organizationId,
            now: input.now,
            payload: billingEvent({
              event: "credits.allocated",
              now: input.now,
              partnerId: input.partnerId,
              organizationId: input.organizationId,
              data: {
                credits_allocated: input.credits,
                previous_allocation: input.previous,
                credits_used: input.creditsUsed,
                notes: input.notes
              }
            })
          })
          return toAllocation(allocation)
        })

      /** Emits `credits.low`/`credits.exhausted` (once per period) and `pool.low` when a threshold is crossed. */
      const checkThresholds = Effect.fn("Organizations.checkThresholds")(function* (
        partnerId: string,
        organizationId: string | null,
        now: Date
      ) {
        if (organizationId !== null) {
          const current = yield* find(partnerId, organizationId)
          if (Option.isSome(current) && current.value.credits > 0 && current.value.status !== "canceled") {
            const org = current.value
            const available = org.credits - org.creditsUsed
            const data = {
              credits_allocated: org.credits,
              credits_used: org.creditsUsed,
              credits_available: available
            }
            const emit = (event: string) =>
              outbox.emit({
                partnerId,
                type: "billing",
                event,
                organizationId,
                now,
                payload: billingEvent({ event, now, partnerId, organizationId, data })
              })
            if (available * 10 < org.credits && !org.lowNotified) {
              yield* emit("credits.low")
              yield* sql`UPDATE organizations SET low_notified = 1 WHERE id = ${organizationId}`
            }
            if (available <= 0 && !org.exhaustedNotified) {
              yield* emit("credits.exhausted")
              yield* sql`UPDATE organizations SET exhausted_notified = 1 WHERE id = ${organizationId}`
            }
          }
        }
        const partner = yield* partners.get(partnerId)
        const pool = yield* partners.pool(partnerId, partner)
        const low = pool.total > 0 && pool.available * 10 < pool.total
        if (low && !partner.poolLowNotified) {
          yield* outbox.emit({
            partnerId,
            type: "billing",
            event: "pool.low",
            organizationId: null,
            now,
            payload: billingEvent({
              event: "pool.low",
              now,
              partnerId,
              organizationId: null,
              data: {
                credit_pool_total: pool.total,
                credit_pool_used: pool.used,
                credit_pool_available: pool.available
              }
            })
          })
        }
        if (low !== partner.poolLowNotified) yield* partners.setPoolLowNotified(partnerId, low)
      })

      const create = Effect.fn("Organizations.create")(function* (
        partnerId: string,
        input: OrganizationCreate,
        now: Date
      ) {
        return yield* sql.withTransaction(
          Effect.gen(function* () {
            yield* partners.lock(partnerId)
            const partner = yield* partners.get(partnerId)
            if (input.externalId !== undefined) yield* duplicateExternalId(partnerId, input.externalId, null)
            const counted = yield* sql`SELECT CAST(COUNT(*) AS INTEGER) AS n FROM organizations
            WHERE partner_id = ${partnerId} AND status <> 'canceled'`
            const count = counted[0] === undefined ? 0 : int(counted[0], "n")
            if (count >= partner.maxOrganizations) {
              return yield* unprocessable(
                "organization_limit",
                `The partner may have at most ${partner.maxOrganizations} organizations`,
                { limit: partner.maxOrganizations, current: count }
              )
            }
            const tier = input.tier ?? "trial"
            const credits = input.initialCredits ?? 0
            if (tier === "trial" && credits > trialCreditCap) return yield* trialCap(credits)
            if (credits > 0) {
              const pool = yield* partners.pool(partnerId, partner)
              if (credits > pool.available) {
                return yield* unprocessable(
                  "insufficient_pool",
                  "The credit pool cannot cover this allocation",
                  {
                    requested: credits,
                    available: pool.available
                  }
                )
              }
            }
            const id = uuid()
            yield* insert({
              id,
              partnerId,
              name: input.name,
              externalId: input.externalId ?? null,
              ownerUserId: input.ownerUserId ?? null,
              status: "active",
              tier,
              productType: input.productType ?? "B2B",
              billingPeriod: input.billingPeriod ?? "monthly",
              billingDayOfMonth: input.billingDayOfMonth ?? 1,
              metadata: input.metadata ?? {},
              credits,
              creditsUsed: 0,
              createdAt: now,
              pixelId: newPixelId(),
              allowedDomains: [],
              pixelEnabled: true
            })
            if (credits > 0) {
              yield* recordAllocation({
                partnerId,
                organizationId: id,
                credits,
                previous: 0,
                creditsUsed: 0,
                notes: null,
                now
              })
              yield* checkThresholds(partnerId, null, now)
            }
            return toOrganization(
              yield* required(partnerId, id).pipe(Effect.catchTag("NotFound", Effect.die))
            )
          })
        )
      })

      const mutable = (partnerId: string, organizationId: string) =>
        Effect.gen(function* () {
          yield* partners.lock(partnerId)
          const current = toRecord(yield* required(partnerId, organizationId))
          if (current.status === "canceled") return yield* canceled(organizationId)
          return current
        })

      const update = Effect.fn("Organizations.update")(function* (
        partnerId: string,
        organizationId: string,
        input: OrganizationUpdate,
        now: Date
      ) {
        return yield* sql.withTransaction(
          Effect.gen(function* () {
            yield* mutable(partnerId, organizationId)
            if (input.externalId !== undefined && input.externalId !== null) {
              yield* duplicateExternalId(partnerId, input.externalId, organizationId)
            }
            const changes: Record<string, unknown> = { updated_at: storedTime(now) }
            if (input.name !== undefined) changes["name"] = input.name
            if (input.externalId !== undefined) changes["external_id"] = input.externalId
            if (input.ownerUserId !== undefined) changes["owner_user_id"] = input.ownerUserId
            if (input.metadata !== undefined) changes["metadata"] = JSON.stringify(input.metadata)
            if (input.billingPeriod !== undefined) changes["billing_period"] = input.billingPeriod
            if (input.billingDayOfMonth !== undefined)
              changes["billing_day_of_month"] = input.billingDayOfMonth
            if (input.productType !== undefined) changes["product_type"] = input.productType
            yield* sql`UPDATE organizations SET ${sql.update(changes)} WHERE id = ${organizationId}`
            return toOrganization(yield* required(partnerId, organizationId))
          })
        )
      })

      /** Soft delete: canceled, unused credits back to the pool (the allocation shrinks to what was used). */
      const cancel = Effect.fn("Organizations.cancel")(function* (
        partnerId: string,
        organizationId: string,
        now: Date
      ) {
        yield* sql.withTransaction(
          Effect.gen(function* () {
            yield* partners.lock(partnerId)
            const current = toRecord(yield* required(partnerId, organizationId))
            if (current.status === "canceled") return
            const at = storedTime(now)
            yield* sql`UPDATE organizations SET status = 'canceled', canceled_at = ${at}, updated_at = ${at},
            credits = ${current.creditsUsed} WHERE id = ${organizationId}`
            if (current.credits > current.creditsUsed) {
              yield* recordAllocation({
                partnerId,
                organizationId,
                credits: current.creditsUsed,
                previous: current.credits,
                creditsUsed: current.creditsUsed,
                notes: "Organization canceled: unused credits returned to the pool",
                now
              })
            }
            yield* checkThresholds(partnerId, null, now)
          })
        )
      })

      const setStatus = Effect.fn("Organizations.setStatus")(function* (
        partnerId: string,
        organizationId: string,
        status: "active" | "suspended",
        now: Date
      ) {
        return yield* sql.withTransaction(
          Effect.gen(function* () {
            yield* mutable(partnerId, organizationId)
            yield* sql`UPDATE organizations SET status = ${status}, updated_at = ${storedTime(now)} WHERE id = ${organizationId}`
            return toOrganization(yield* required(partnerId, organizationId))
          })
        )
      })

      const setTier = Effect.fn("Organizations.setTier")(function* (
        partnerId: string,
        organizationId: string,
        tier: Tier,
        now: Date
      ) {
        return yield* sql.withTransaction(
          Effect.gen(function* () {
            const current = yield* mutable(partnerId, organizationId)
            if (tier === "trial" && current.credits > trialCreditCap) return yield* trialCap(current.credits)
            yield* sql`UPDATE organizations SET tier = ${tier}, updated_at = ${storedTime(now)} WHERE id = ${organizationId}`
            return toOrganization(yield* required(partnerId, organizationId))
          })
        )
      })

      /** Sets (does not add to) the allocation, drawing the difference from the pool. */
      const allocate = Effect.fn("Organizations.allocate")(function* (
        partnerId: string,
        organizationId: string,
        request: CreditAllocationRequest,
        now: Date
      ) {
        return yield* sql.withTransaction(
          Effect.gen(function* () {
            const current = yield* mutable(partnerId, organizationId)
            const credits = request.credits
            if (current.tier === "trial" && credits > trialCreditCap) return yield* trialCap(credits)
            if (credits < current.creditsUsed) {
              return yield* unprocessable(
                "below_used",
                `The allocation cannot be set below the ${current.creditsUsed} credits already used`,
                { requested: credits, used: current.creditsUsed }
              )
            }
            const delta = credits - current.credits
            if (delta > 0) {
              const pool = yield* partners.pool(partnerId)
              if (delta > pool.available) {
                return yield* unprocessable(
                  "insufficient_pool",
                  "The credit pool cannot cover this allocation",
                  {
                    requested: delta,
                    available: pool.available,
                    credits,
                    currentAllocation: current.credits
                  }
                )
              }
            }
            yield* sql`UPDATE organizations SET credits = ${credits}, updated_at = ${storedTime(now)} WHERE id = ${organizationId}`
            const allocation = yield* recordAllocation({
              partnerId,
              organizationId,
              credits,
              previous: current.credits,
              creditsUsed: current.creditsUsed,
              notes: request.notes ?? null,
              now
            })
            yield* checkThresholds(partnerId, organizationId, now)
            return allocation
          })
        )
      })

      /** Spends one credit of an organization (inside the caller's transaction). */
      const spendCredit = Effect.fn("Organizations.spendCredit")(function* (
        partnerId: string,
        organizationId: string,
        now: Date
      ) {
        yield* sql`UPDATE organizations SET credits_used = credits_used + 1 WHERE id = ${organizationId}`
        yield* checkThresholds(partnerId, organizationId, now)
      })

      /** A billing period closed: usage returns to 0, allocations stay, notifications re-arm. */
      const renewCredits = Effect.fn("Organizations.renewCredits")(function* (partnerId: string) {
        yield* sql`UPDATE organizations SET credits_used = 0, low_notified = 0, exhausted_notified = 0
        WHERE partner_id = ${partnerId} AND status <> 'canceled'`
      })

      const toPixel = (pixelRow: Row, scriptBaseUrl: string): Pixel => {
        const scriptUrl = `${scriptBaseUrl}/${text(pixelRow, "pixel_id")}`
        return {
          organizationId: text(pixelRow, "organization_id"),
          pixelId: text(pixelRow, "pixel_id"),
          scriptUrl,
          snippet: `<script src="${scriptUrl}" referrerpolicy="strict-origin-when-cross-origin" async></script>`,
          allowedDomains: json<ReadonlyArray<string>>(pixelRow, "allowed_domains"),
          enabled: flag(pixelRow, "enabled"),
          lastEventAt: wireTimeOrNull(textOrNull(pixelRow, "last_event_at"))
        }
      }

      const pixelRow = (organizationId: string) =>
        sql`SELECT * FROM pixels WHERE organization_id = ${organizationId}`.pipe(
          Effect.flatMap((rows) =>
            rows[0] === undefined
              ? Effect.dieMessage(`Pixel of ${organizationId} missing`)
              : Effect.succeed(rows[0])
          )
        )

      const getPixel = Effect.fn("Organizations.getPixel")(function* (
        partnerId: string,
        organizationId: string,
        apiBaseUrl: string
      ) {
        yield* required(partnerId, organizationId)
        return toPixel(yield* pixelRow(organizationId), yield* partners.scriptBaseUrl(partnerId, apiBaseUrl))
      })

      const updatePixel = Effect.fn("Organizations.updatePixel")(function* (
        partnerId: string,
        organizationId: string,
        update: PixelUpdate,
        apiBaseUrl: string
      ) {
        yield* required(partnerId, organizationId)
        const changes: Record<string, unknown> = {}
        if (update.allowedDomains !== undefined)
          changes["allowed_domains"] = JSON.stringify([...new Set(update.allowedDomains)])
        if (update.enabled !== undefined) changes["enabled"] = bit(update.enabled)
        if (Object.keys(changes).length > 0) {
          yield* sql`UPDATE pixels SET ${sql.update(changes)} WHERE organization_id = ${organizationId}`
        }
        return toPixel(yield* pixelRow(organizationId), yield* partners.scriptBaseUrl(partnerId, apiBaseUrl))
      })

      /** Whether the pixel is enabled and the domains it may run on, from one read of its row. */
      const pixelSettings = Effect.fn("Organizations.pixelSettings")(function* (organizationId: string) {
        const row = yield* pixelRow(organizationId)
        return {
          enabled: flag(row, "enabled"),
          allowedDomains: json<ReadonlyArray<string>>(row, "allowed_domains")
        }
      })

      /** The partner an organization belongs to (control plane only: the API never crosses partners). */
      const ownerOf = Effect.fn("Organizations.ownerOf")(function* (organizationId: string) {
        const rows = yield* sql`SELECT partner_id FROM organizations WHERE id = ${organizationId}`
        return Option.map(Option.fromNullable(rows[0]), (r) => text(r, "partner_id"))
      })

      const touchPixel = Effect.fn("Organizations.touchPixel")(function* (organizationId: string, now: Date) {
        yield* sql`UPDATE pixels SET last_event_at = ${storedTime(now)} WHERE organization_id = ${organizationId}`
      })

      /** Records an allocation without emitting events (the demo seed). */
      const recordQuietAllocation = Effect.fn("Organizations.recordQuietAllocation")(function* (
        partnerId: string,
        organizationId: string,
        credits: number,
        now: Date
      ) {
        yield* sql`INSERT INTO allocations ${sql.insert({
          id: uuid(),
          partner_id: partnerId,
          organization_id: organizationId,
          credits_allocated: credits,
          previous_allocation: 0,
          credits_used: 0,
          notes: "Demo seed",
          allocated_at: storedTime(now)
        })}`
      })

      const ids = Effect.fn("Organizations.ids")(function* (partnerId: string) {
        const rows =
          yield* sql`SELECT id FROM organizations WHERE partner_id = ${partnerId} ORDER BY created_at, id`
        return rows.map((r) => text(r, "id"))
      })

      return {
        find,
        get,
        list,
        insert,
        create,
        update,
        cancel,
        setStatus,
        setTier,
        allocate,
        spendCredit,
        renewCredits,
        getPixel,
        updatePixel,
        pixelSettings,
        ownerOf,
        touchPixel,
        recordQuietAllocation,
        ids
      }
    }),
    dependencies: [Partners.Default, Outbox.Default]
  }
) {}
