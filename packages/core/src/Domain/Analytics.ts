import { Schema } from "effect"
import { CalendarDate, DateOrDateTime, Id } from "./Common.js"

/** Partner-wide analytics over a date range. */
export const Analytics = Schema.Struct({
  partnerId: Id,
  startDate: CalendarDate,
  endDate: CalendarDate,
  totalOrganizations: Schema.Int,
  activeOrganizations: Schema.Int,
  totalIdentifications: Schema.Int,
  creditsRemaining: Schema.Int,
  creditsUsed: Schema.Int
}).annotations({ identifier: "Analytics" })
export type Analytics = typeof Analytics.Type

/** Usage totals over a date range. */
export const UsageSummary = Schema.Struct({
  totalQuantity: Schema.Int,
  totalEvents: Schema.Int,
  startDate: CalendarDate,
  endDate: CalendarDate
}).annotations({ identifier: "UsageSummary" })
export type UsageSummary = typeof UsageSummary.Type

/** Query of the analytics endpoints (dates inclusive). */
export const DateRangeParams = {
  startDate: Schema.optional(DateOrDateTime),
  endDate: Schema.optional(DateOrDateTime)
}
