import { Effect } from "effect"
import type { DateRangeQuery } from "./Api/Analytics.js"
import { PartnerClient } from "./PartnerClient.js"

/** Analytics and usage (section 9). */
export class Analytics extends Effect.Service<Analytics>()("@bullseye-partner/core/Analytics", {
  effect: Effect.gen(function* () {
    const { run } = yield* PartnerClient
    return {
      get: Effect.fn("Analytics.get")((range: DateRangeQuery = {}) =>
        run("analytics", "get", (c) => c.get({ urlParams: range }))
      ),
      usage: Effect.fn("Analytics.usage")((range: DateRangeQuery = {}) =>
        run("analytics", "usage", (c) => c.usage({ urlParams: range }))
      )
    }
  })
}) {}
