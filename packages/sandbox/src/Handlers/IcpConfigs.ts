import { Api } from "@bullseye-partner/core/Api"
import { HttpApiBuilder } from "@effect/platform"
import { Effect } from "effect"
import { orDieOnSql, requestContext } from "../internal/handler.js"
import { IcpConfigs } from "../Store/IcpConfigs.js"
import { Organizations } from "../Store/Organizations.js"

/** Section 4: ICP configs of an organization. */
export const IcpConfigsHandlers = HttpApiBuilder.group(Api, "icpConfigs", (handlers) =>
  Effect.gen(function* () {
    const organizations = yield* Organizations
    const configs = yield* IcpConfigs

    // The organization must belong to the partner; otherwise it is a 404 like any unknown resource.
    const owned = (organizationId: string) =>
      Effect.gen(function* () {
        const context = yield* requestContext
        yield* organizations.get(context.partnerId, organizationId)
        return context
      })

    return handlers
      .handle("list", ({ path }) =>
        Effect.gen(function* () {
          yield* owned(path.organizationId)
          return { icpConfigs: yield* configs.list(path.organizationId) }
        }).pipe(orDieOnSql)
      )
      .handle("create", ({ path, payload }) =>
        Effect.gen(function* () {
          const { now } = yield* owned(path.organizationId)
          return { icpConfig: yield* configs.create(path.organizationId, payload, now) }
        }).pipe(orDieOnSql)
      )
      .handle("get", ({ path }) =>
        Effect.gen(function* () {
          yield* owned(path.organizationId)
          return { icpConfig: yield* configs.get(path.organizationId, path.icpConfigId) }
        }).pipe(orDieOnSql)
      )
      .handle("update", ({ path, payload }) =>
        Effect.gen(function* () {
          const { now } = yield* owned(path.organizationId)
          return { icpConfig: yield* configs.update(path.organizationId, path.icpConfigId, payload, now) }
        }).pipe(orDieOnSql)
      )
      .handle("delete", ({ path }) =>
        Effect.gen(function* () {
          yield* owned(path.organizationId)
          yield* configs.remove(path.organizationId, path.icpConfigId)
        }).pipe(orDieOnSql)
      )
  })
)
