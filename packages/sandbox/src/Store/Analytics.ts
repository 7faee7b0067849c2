import type { Analytics as AnalyticsBody, UsageSummary } from "@bullseye-partner/core/Domain/Analytics"
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import { int } from "../internal/rows.js"
import { addDays, storedTime } from "../internal/time.js"
import { Partners } from "./Partners.js"

/** An inclusive range of calendar dates (`YYYY-MM-DD`). */
export interface DateRange {
  readonly startDate: string
  readonly endDate: string
}

const bounds = (range: DateRange) => ({
  from: storedTime(new Date(`${range.startDate}T00:00:00Z`)),
  until: storedTime(addDays(new Date(`${range.endDate}T00:00:00Z`), 1))
})

/** Partner-wide figures over date ranges. */
export class Analytics extends Effect.Service<Analytics>()("@bullseye-partner/sandbox/Store/Analytics", {
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const partners = yield* Partners

    const identifications = (partnerId: string, range: DateRange) => {
      const { from, until } = bounds(range)
      return sql`SELECT CAST(COUNT(*) AS INTEGER) AS n, CAST(COUNT(DISTINCT organization_id) AS INTEGER) AS orgs
        FROM visitors WHERE partner_id = ${partnerId} AND identified_at >= ${from} AND identified_at < ${until}`.pipe(
        Effect.map((rows) => ({
          count: rows[0] === undefined ? 0 : int(rows[0], "n"),
          organizations: rows[0] === undefined ? 0 : int(rows[0], "orgs")
        }))
      )
    }

    const analytics = Effect.fn("Analytics.analytics")(function* (partnerId: string, range: DateRange) {
      const found = yield* identifications(partnerId, range)
      const orgs = yield* sql`SELECT CAST(COUNT(*) AS INTEGER) AS n FROM organizations
        WHERE partner_id = ${partnerId} AND status <> 'canceled'`
      const pool = yield* partners.pool(partnerId)
      return {
        partnerId,
        startDate: range.startDate,
        endDate: range.endDate,
        totalOrganizations: orgs[0] === undefined ? 0 : int(orgs[0], "n"),
        activeOrganizations: found.organizations,
        totalIdentifications: found.count,
        creditsRemaining: pool.available,
        creditsUsed: found.count
      } satisfies AnalyticsBody
    })

    const usage = Effect.fn("Analytics.usage")(function* (partnerId: string, range: DateRange) {
      const found = yield* identifications(partnerId, range)
      const { from, until } = bounds(range)
      const views = yield* sql`SELECT CAST(COALESCE(SUM(page_view_count), 0) AS INTEGER) AS n FROM sessions
        WHERE partner_id = ${partnerId} AND started_at >= ${from} AND started_at < ${until}`
      return {
        totalQuantity: found.count,
        totalEvents: found.count + (views[0] === undefined ? 0 : int(views[0], "n")),
        startDate: range.startDate,
        endDate: range.endDate
      } satisfies UsageSummary
    })

    return { analytics, usage }
  }),
  dependencies: [Partners.Default]
}) {}
