import { Api } from "@bullseye-partner/core/Api"
import { HttpApiBuilder } from "@effect/platform"
import { Effect } from "effect"
import { PublicUrl } from "../Http/PublicUrl.js"
import { orDieOnSql, requestContext } from "../internal/handler.js"
import { Partners } from "../Store/Partners.js"

/** Section 1: the partner account. */
export const PartnerAccountHandlers = HttpApiBuilder.group(Api, "partner", (handlers) =>
  Effect.gen(function* () {
    const partners = yield* Partners
    const publicUrl = yield* PublicUrl
    return handlers
      .handle("me", () =>
        Effect.gen(function* () {
          const { partnerId } = yield* requestContext
          return { partner: yield* partners.me(partnerId) }
        }).pipe(orDieOnSql)
      )
      .handle("scriptConfig", () =>
        Effect.gen(function* () {
          const { partnerId } = yield* requestContext
          return { scriptConfig: yield* partners.scriptConfig(partnerId, publicUrl.apiBaseUrl) }
        }).pipe(orDieOnSql)
      )
  })
)
