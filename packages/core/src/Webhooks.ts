import { Effect, Stream } from "effect"
import type { WebhookLogQuery } from "./Api/Webhooks.js"
import type { WebhookChannelUpdate, WebhookType } from "./Domain/Webhook.js"
import { paginate } from "./Pagination.js"
import { PartnerClient } from "./PartnerClient.js"

/** The webhook channels, test sends and delivery logs (section 5). */
export class Webhooks extends Effect.Service<Webhooks>()("@bullseye-partner/core/Webhooks", {
  effect: Effect.gen(function* () {
    const { run } = yield* PartnerClient
    const logs = Effect.fn("Webhooks.logs")((query: WebhookLogQuery = {}) =>
      run("webhooks", "logs", (c) => c.logs({ urlParams: query }))
    )
    return {
      get: Effect.fn("Webhooks.get")(() => run("webhooks", "get", (c) => c.get())),
      /** Updates one channel; the secret is write-only and never returned. */
      update: Effect.fn("Webhooks.update")((type: WebhookType, payload: WebhookChannelUpdate) =>
        type === "identification"
          ? run("webhooks", "updateIdentification", (c) => c.updateIdentification({ payload })).pipe(
              Effect.map((r) => r.identification)
            )
          : run("webhooks", "updateBilling", (c) => c.updateBilling({ payload })).pipe(
              Effect.map((r) => r.billing)
            )
      ),
      test: Effect.fn("Webhooks.test")((type: WebhookType) =>
        run("webhooks", "test", (c) => c.test({ payload: { type } })).pipe(Effect.map((r) => r.delivery))
      ),
      logs,
      /** Every delivery log matching the query, newest first, page by page. */
      logsAll: (query: Omit<WebhookLogQuery, "page" | "pageSize"> = {}) =>
        paginate((page, pageSize) =>
          logs({ ...query, page, pageSize }).pipe(Effect.map((r) => ({ items: r.logs, total: r.total })))
        ) satisfies Stream.Stream<unknown, unknown>
    }
  })
}) {}
