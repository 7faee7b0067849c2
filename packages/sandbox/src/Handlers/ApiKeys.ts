import { Api } from "@bullseye-partner/core/Api"
import { HttpApiBuilder } from "@effect/platform"
import { Effect } from "effect"
import { badRequest, notFound } from "../internal/errors.js"
import { orDieOnSql, requestContext } from "../internal/handler.js"
import { ApiKeys } from "../Store/ApiKeys.js"

/** Section 2: API keys. */
export const ApiKeysHandlers = HttpApiBuilder.group(Api, "apiKeys", (handlers) =>
  Effect.gen(function* () {
    const keys = yield* ApiKeys
    return handlers
      .handle("list", () =>
        Effect.gen(function* () {
          const { partnerId, now } = yield* requestContext
          return { apiKeys: yield* keys.list(partnerId, now) }
        }).pipe(orDieOnSql)
      )
      .handle("create", ({ payload }) =>
        Effect.gen(function* () {
          const { partnerId, now } = yield* requestContext
          const expiresAt = payload.expiresAt === undefined ? undefined : new Date(payload.expiresAt)
          if (expiresAt !== undefined && expiresAt.getTime() <= now.getTime()) {
            return yield* badRequest([
              { path: ["body", "expiresAt"], message: "Expected a time in the future" }
            ])
          }
          return yield* keys.create(partnerId, { name: payload.name, scopes: payload.scopes, expiresAt }, now)
        }).pipe(orDieOnSql)
      )
      .handle("revoke", ({ path }) =>
        Effect.gen(function* () {
          const { partnerId, now } = yield* requestContext
          if (!(yield* keys.revoke(partnerId, path.keyId, now))) {
            return yield* notFound(`API key ${path.keyId} not found`)
          }
        }).pipe(orDieOnSql)
      )
  })
)
