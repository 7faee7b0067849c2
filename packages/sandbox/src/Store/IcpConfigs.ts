import type { IcpRules } from "@bullseye-partner/core/Domain/Icp"
import type { IcpConfig, IcpConfigCreate, IcpConfigUpdate } from "@bullseye-partner/core/Domain/IcpConfig"
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import { notFound, unprocessable } from "../internal/errors.js"
import { uuid } from "../internal/random.js"
import { bit, flag, int, json, text, type Row } from "../internal/rows.js"
import { storedTime, wireTime } from "../internal/time.js"

/** The most ICP configs one organization may have. */
export const icpConfigLimit = 50

const toConfig = (row: Row): IcpConfig => ({
  id: text(row, "id"),
  organizationId: text(row, "organization_id"),
  name: text(row, "name"),
  active: flag(row, "active"),
  priority: int(row, "priority"),
  rules: json<IcpRules>(row, "rules"),
  createdAt: wireTime(text(row, "created_at")),
  updatedAt: wireTime(text(row, "updated_at"))
})

/** ICP configs of organizations (callers check that the organization belongs to the partner). */
export class IcpConfigs extends Effect.Service<IcpConfigs>()("@bullseye-partner/sandbox/Store/IcpConfigs", {
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient

    const list = Effect.fn("IcpConfigs.list")(function* (organizationId: string) {
      const rows = yield* sql`SELECT * FROM icp_configs WHERE organization_id = ${organizationId}
        ORDER BY priority, created_at, id`
      return rows.map(toConfig)
    })

    const required = (organizationId: string, icpConfigId: string) =>
      sql`SELECT * FROM icp_configs WHERE id = ${icpConfigId} AND organization_id = ${organizationId}`.pipe(
        Effect.flatMap((rows) =>
          rows[0] === undefined
            ? Effect.fail(notFound(`ICP config ${icpConfigId} not found`))
            : Effect.succeed(toConfig(rows[0]))
        )
      )

    const create = Effect.fn("IcpConfigs.create")(function* (
      organizationId: string,
      input: IcpConfigCreate & { readonly id?: string | undefined },
      now: Date
    ) {
      return yield* sql.withTransaction(
        Effect.gen(function* () {
          const stats =
            yield* sql`SELECT CAST(COUNT(*) AS INTEGER) AS n, CAST(COALESCE(MAX(priority), 0) AS BIGINT) AS top
            FROM icp_configs WHERE organization_id = ${organizationId}`
          const count = stats[0] === undefined ? 0 : int(stats[0], "n")
          const top = stats[0] === undefined ? 0 : int(stats[0], "top")
          if (count >= icpConfigLimit) {
            return yield* unprocessable(
              "icp_config_limit",
              `An organization may have at most ${icpConfigLimit} ICP configs`,
              { limit: icpConfigLimit }
            )
          }
          const id = input.id ?? uuid()
          const at = storedTime(now)
          yield* sql`INSERT INTO icp_configs ${sql.insert({
            id,
            organization_id: organizationId,
            name: input.name,
            active: bit(input.active ?? true),
            priority: input.priority ?? top + 1,
            rules: JSON.stringify(input.rules),
            created_at: at,
            updated_at: at
          })}`
          return yield* required(organizationId, id)
        })
      )
    })

    const get = Effect.fn("IcpConfigs.get")(function* (organizationId: string, icpConfigId: string) {
      return yield* required(organizationId, icpConfigId)
    })

    const update = Effect.fn("IcpConfigs.update")(function* (
      organizationId: string,
      icpConfigId: string,
      input: IcpConfigUpdate,
      now: Date
    ) {
      yield* required(organizationId, icpConfigId)
      const changes: Record<string, unknown> = { updated_at: storedTime(now) }
      if (input.name !== undefined) changes["name"] = input.name
      if (input.rules !== undefined) changes["rules"] = JSON.stringify(input.rules)
      if (input.active !== undefined) changes["active"] = bit(input.active)
      if (input.priority !== undefined) changes["priority"] = input.priority
      yield* sql`UPDATE icp_configs SET ${sql.update(changes)} WHERE id = ${icpConfigId}`
      return yield* required(organizationId, icpConfigId)
    })

    const remove = Effect.fn("IcpConfigs.remove")(function* (organizationId: string, icpConfigId: string) {
      yield* required(organizationId, icpConfigId)
      yield* sql`DELETE FROM icp_configs WHERE id = ${icpConfigId}`
    })

    const find = Effect.fn("IcpConfigs.find")(function* (organizationId: string, icpConfigId: string) {
      return yield* required(organizationId, icpConfigId).pipe(Effect.option)
    })

    return { list, create, get, update, remove, find }
  })
}) {}
