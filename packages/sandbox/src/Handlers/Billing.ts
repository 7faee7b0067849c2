import { Api } from "@bullseye-partner/core/Api"
import { HttpApiBuilder } from "@effect/platform"
import { Effect } from "effect"
import { orDieOnSql, requestContext } from "../internal/handler.js"
import { Billing, calculate } from "../Store/Billing.js"

/** Section 6: billing (periods that ended are closed before answering). */
export const BillingHandlers = HttpApiBuilder.group(Api, "billing", (handlers) =>
  Effect.gen(function* () {
    const billing = yield* Billing
    const current = Effect.gen(function* () {
      const context = yield* requestContext
      yield* billing.closeDue(context.partnerId, context.now)
      return context
    })
    return handlers
      .handle("get", () =>
        Effect.gen(function* () {
          const { partnerId } = yield* current
          return yield* billing.info(partnerId)
        }).pipe(orDieOnSql)
      )
      .handle("usage", () =>
        Effect.gen(function* () {
          const { partnerId } = yield* current
          return yield* billing.currentUsage(partnerId)
        }).pipe(orDieOnSql)
      )
      .handle("calculate", ({ urlParams }) =>
        Effect.gen(function* () {
          const { partnerId } = yield* requestContext
          return calculate(yield* billing.pricing(partnerId), urlParams.usage)
        }).pipe(orDieOnSql)
      )
  })
)
