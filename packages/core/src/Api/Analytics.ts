import { HttpApiEndpoint, HttpApiGroup } from "@effect/platform"
import { Schema } from "effect"
import { Analytics, DateRangeParams, UsageSummary } from "../Domain/Analytics.js"
import { Wire } from "../Errors.js"
import { documented } from "./Endpoint.js"

/** Query of the analytics endpoints. */
export const DateRangeQuery = Schema.Struct(DateRangeParams)
export type DateRangeQuery = typeof DateRangeQuery.Type

/** Section 9: analytics. */
export class AnalyticsGroup extends HttpApiGroup.make("analytics")
  .add(
    HttpApiEndpoint.get("get", "/partner/analytics")
      .setUrlParams(DateRangeQuery)
      .addSuccess(Analytics)
      .addError(Wire.BadRequest)
      .pipe(
        documented(
          "read",
          "Analytics over a date range",
          "Default: the last 30 days through today, inclusive."
        )
      )
  )
  .add(
    HttpApiEndpoint.get("usage", "/partner/usage")
      .setUrlParams(DateRangeQuery)
      .addSuccess(UsageSummary)
      .addError(Wire.BadRequest)
      .pipe(
        documented(
          "read",
          "Usage totals over a date range",
          "Default: the first day of the month through today."
        )
      )
  ) {}
