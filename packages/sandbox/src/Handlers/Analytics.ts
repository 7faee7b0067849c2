import { Api } from "@bullseye-partner/core/Api"
import type { DateRangeQuery } from "@bullseye-partner/core/Api/Analytics"
import { HttpApiBuilder } from "@effect/platform"
import { Effect } from "effect"
import { badRequest } from "../internal/errors.js"
import { orDieOnSql, requestContext } from "../internal/handler.js"
import { addDays, calendarDate, daysBetween, isDateOnly } from "../internal/time.js"
import { Analytics, type DateRange } from "../Store/Analytics.js"

/** The longest range the analytics endpoints accept, in days. */
export const maxRangeDays = 366

const toDate = (value: string): string => (isDateOnly(value) ? value : calendarDate(new Date(value)))

/**
 * Resolves a date-range query (defaults relative to the end date) and checks its order and length;
 * the dates themselves are real days already (the contract's `DateOrDateTime` refuses others).
 */
export const resolveRange = (query: DateRangeQuery, today: Date, defaultStart: (end: Date) => Date) => {
  const endDate = query.endDate === undefined ? calendarDate(today) : toDate(query.endDate)
  const end = new Date(`${endDate}T00:00:00Z`)
  const startDate = query.startDate === undefined ? calendarDate(defaultStart(end)) : toDate(query.startDate)
  const start = new Date(`${startDate}T00:00:00Z`)
  if (start.getTime() > end.getTime()) {
    return Effect.fail(
      badRequest([
        { path: ["query", "startDate"], message: `startDate ${startDate} is after endDate ${endDate}` }
      ])
    )
  }
  if (daysBetween(start, end) + 1 > maxRangeDays) {
    return Effect.fail(
      badRequest([{ path: ["query", "endDate"], message: `The range may span at most ${maxRangeDays} days` }])
    )
  }
  return Effect.succeed<DateRange>({ startDate, endDate })
}

/** Section 9: analytics. */
export const AnalyticsHandlers = HttpApiBuilder.group(Api, "analytics", (handlers) =>
  Effect.gen(function* () {
    const analytics = yield* Analytics
    return handlers
      .handle("get", ({ urlParams }) =>
        Effect.gen(function* () {
          const { partnerId, now } = yield* requestContext
          const range = yield* resolveRange(urlParams, now, (end) => addDays(end, -29))
          return yield* analytics.analytics(partnerId, range)
        }).pipe(orDieOnSql)
      )
      .handle("usage", ({ urlParams }) =>
        Effect.gen(function* () {
          const { partnerId, now } = yield* requestContext
          const range = yield* resolveRange(
            urlParams,
            now,
            (end) => new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth(), 1))
          )
          return yield* analytics.usage(partnerId, range)
        }).pipe(orDieOnSql)
      )
  })
)
