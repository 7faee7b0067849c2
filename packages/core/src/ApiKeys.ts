import { Effect } from "effect"
import type { ApiKeyCreate } from "./Domain/ApiKey.js"
import { PartnerClient } from "./PartnerClient.js"

/** API keys (section 2; every method needs the `admin` scope). */
export class ApiKeys extends Effect.Service<ApiKeys>()("@bullseye-partner/core/ApiKeys", {
  effect: Effect.gen(function* () {
    const { run } = yield* PartnerClient
    return {
      list: Effect.fn("ApiKeys.list")(() =>
        run("apiKeys", "list", (c) => c.list()).pipe(Effect.map((r) => r.apiKeys))
      ),
      /** The plain key is in the result, redacted, and is never returned again. */
      create: Effect.fn("ApiKeys.create")((payload: ApiKeyCreate) =>
        run("apiKeys", "create", (c) => c.create({ payload }))
      ),
      revoke: Effect.fn("ApiKeys.revoke")((keyId: string) =>
        run("apiKeys", "revoke", (c) => c.revoke({ path: { keyId } }))
      )
    }
  })
}) {}
