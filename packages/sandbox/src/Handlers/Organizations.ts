import { Api } from "@bullseye-partner/core/Api"
import { HttpApiBuilder } from "@effect/platform"
import { Effect, Option } from "effect"
import { PublicUrl } from "../Http/PublicUrl.js"
import { notFound } from "../internal/errors.js"
import { orDieOnSql, requestContext } from "../internal/handler.js"
import { Organizations } from "../Store/Organizations.js"
import { Visitors } from "../Store/Visitors.js"

/** Section 3: organizations, their credits, pixel and visitors. */
export const OrganizationsHandlers = HttpApiBuilder.group(Api, "organizations", (handlers) =>
  Effect.gen(function* () {
    const organizations = yield* Organizations
    const visitors = yield* Visitors
    const publicUrl = yield* PublicUrl

    return handlers
      .handle("list", ({ urlParams }) =>
        Effect.gen(function* () {
          const { partnerId } = yield* requestContext
          return yield* organizations.list(partnerId, urlParams)
        }).pipe(orDieOnSql)
      )
      .handle("create", ({ payload }) =>
        Effect.gen(function* () {
          const { partnerId, now } = yield* requestContext
          return { organization: yield* organizations.create(partnerId, payload, now) }
        }).pipe(orDieOnSql)
      )
      .handle("get", ({ path }) =>
        Effect.gen(function* () {
          const { partnerId } = yield* requestContext
          return { organization: yield* organizations.get(partnerId, path.organizationId) }
        }).pipe(orDieOnSql)
      )
      .handle("update", ({ path, payload }) =>
        Effect.gen(function* () {
          const { partnerId, now } = yield* requestContext
          return { organization: yield* organizations.update(partnerId, path.organizationId, payload, now) }
        }).pipe(orDieOnSql)
      )
      .handle("delete", ({ path }) =>
        Effect.gen(function* () {
          const { partnerId, now } = yield* requestContext
          yield* organizations.cancel(partnerId, path.organizationId, now)
        }).pipe(orDieOnSql)
      )
      .handle("setStatus", ({ path, payload }) =>
        Effect.gen(function* () {
          const { partnerId, now } = yield* requestContext
          return {
            organization: yield* organizations.setStatus(partnerId, path.organizationId, payload.status, now)
          }
        }).pipe(orDieOnSql)
      )
      .handle("setTier", ({ path, payload }) =>
        Effect.gen(function* () {
          const { partnerId, now } = yield* requestContext
          return {
            organization: yield* organizations.setTier(partnerId, path.organizationId, payload.tier, now)
          }
        }).pipe(orDieOnSql)
      )
      .handle("allocateCredits", ({ path, payload }) =>
        Effect.gen(function* () {
          const { partnerId, now } = yield* requestContext
          return { allocation: yield* organizations.allocate(partnerId, path.organizationId, payload, now) }
        }).pipe(orDieOnSql)
      )
      .handle("getPixel", ({ path }) =>
        Effect.gen(function* () {
          const { partnerId } = yield* requestContext
          return {
            pixel: yield* organizations.getPixel(partnerId, path.organizationId, publicUrl.apiBaseUrl)
          }
        }).pipe(orDieOnSql)
      )
      .handle("updatePixel", ({ path, payload }) =>
        Effect.gen(function* () {
          const { partnerId } = yield* requestContext
          return {
            pixel: yield* organizations.updatePixel(
              partnerId,
              path.organizationId,
              payload,
              publicUrl.apiBaseUrl
            )
          }
        }).pipe(orDieOnSql)
      )
      .handle("listVisitors", ({ path, urlParams }) =>
        Effect.gen(function* () {
          const { partnerId } = yield* requestContext
          yield* organizations.get(partnerId, path.organizationId)
          return yield* visitors.list(path.organizationId, urlParams)
        }).pipe(orDieOnSql)
      )
      .handle("getVisitor", ({ path }) =>
        Effect.gen(function* () {
          const { partnerId } = yield* requestContext
          yield* organizations.get(partnerId, path.organizationId)
          const visitor = yield* visitors.get(path.organizationId, path.visitorId)
          if (Option.isNone(visitor)) return yield* notFound(`Visitor ${path.visitorId} not found`)
          return { visitor: visitor.value }
        }).pipe(orDieOnSql)
      )
  })
)
