import { Effect } from "effect"
import type { IcpConfigCreate, IcpConfigUpdate } from "./Domain/IcpConfig.js"
import { PartnerClient } from "./PartnerClient.js"

/** ICP configs of an organization (section 4). */
export class IcpConfigs extends Effect.Service<IcpConfigs>()("@bullseye-partner/core/IcpConfigs", {
  effect: Effect.gen(function* () {
    const { run } = yield* PartnerClient
    return {
      list: Effect.fn("IcpConfigs.list")((organizationId: string) =>
        run("icpConfigs", "list", (c) => c.list({ path: { organizationId } })).pipe(
          Effect.map((r) => r.icpConfigs)
        )
      ),
      create: Effect.fn("IcpConfigs.create")((organizationId: string, payload: IcpConfigCreate) =>
        run("icpConfigs", "create", (c) => c.create({ path: { organizationId }, payload })).pipe(
          Effect.map((r) => r.icpConfig)
        )
      ),
      get: Effect.fn("IcpConfigs.get")((organizationId: string, icpConfigId: string) =>
        run("icpConfigs", "get", (c) => c.get({ path: { organizationId, icpConfigId } })).pipe(
          Effect.map((r) => r.icpConfig)
        )
      ),
      update: Effect.fn("IcpConfigs.update")(
        (organizationId: string, icpConfigId: string, payload: IcpConfigUpdate) =>
          run("icpConfigs", "update", (c) =>
            c.update({ path: { organizationId, icpConfigId }, payload })
          ).pipe(Effect.map((r) => r.icpConfig))
      ),
      delete: Effect.fn("IcpConfigs.delete")((organizationId: string, icpConfigId: string) =>
        run("icpConfigs", "delete", (c) => c.delete({ path: { organizationId, icpConfigId } }))
      )
    }
  })
}) {}
