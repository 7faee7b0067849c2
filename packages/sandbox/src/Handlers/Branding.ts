import { Api } from "@bullseye-partner/core/Api"
import { HttpApiBuilder } from "@effect/platform"
import { Effect } from "effect"
import { orDieOnSql, requestContext } from "../internal/handler.js"
import { Partners } from "../Store/Partners.js"

/** Section 7: branding. */
export const BrandingHandlers = HttpApiBuilder.group(Api, "branding", (handlers) =>
  Effect.gen(function* () {
    const partners = yield* Partners
    return handlers.handle("update", ({ payload }) =>
      Effect.gen(function* () {
        const { partnerId, now } = yield* requestContext
        return { partner: yield* partners.updateBranding(partnerId, payload, now) }
      }).pipe(orDieOnSql)
    )
  })
)
