import { Api } from "@bullseye-partner/core/Api"
import type { WebhookChannelUpdate, WebhookType } from "@bullseye-partner/core/Domain/Webhook"
import { HttpApiBuilder } from "@effect/platform"
import { Effect, Option } from "effect"
import { unprocessable } from "../internal/errors.js"
import { orDieOnSql, requestContext } from "../internal/handler.js"
import { Webhooks } from "../Store/Webhooks.js"
import { Dispatcher } from "../Webhooks/Dispatcher.js"
import { testEvent } from "../Webhooks/Payloads.js"

const urlMissing = (type: WebhookType) =>
  unprocessable("webhook_url_missing", `The ${type} channel has no url`, { type })

/** Section 5: the two webhook channels, test sends and delivery logs. */
export const WebhooksHandlers = HttpApiBuilder.group(Api, "webhooks", (handlers) =>
  Effect.gen(function* () {
    const webhooks = yield* Webhooks
    const dispatcher = yield* Dispatcher

    const update = (type: WebhookType, payload: WebhookChannelUpdate) =>
      Effect.gen(function* () {
        const { partnerId, now } = yield* requestContext
        const next = yield* webhooks.preview(partnerId, type, payload)
        if (next.enabled && next.url === null) return yield* urlMissing(type)
        return yield* webhooks.updateChannel(partnerId, type, payload, now)
      }).pipe(orDieOnSql)

    return handlers
      .handle("get", () =>
        Effect.gen(function* () {
          const { partnerId } = yield* requestContext
          return yield* webhooks.channels(partnerId)
        }).pipe(orDieOnSql)
      )
      .handle("updateIdentification", ({ payload }) =>
        Effect.map(update("identification", payload), (identification) => ({ identification }))
      )
      .handle("updateBilling", ({ payload }) =>
        Effect.map(update("billing", payload), (billing) => ({ billing }))
      )
      .handle("test", ({ payload }) =>
        Effect.gen(function* () {
          const { partnerId, now } = yield* requestContext
          const channel = yield* webhooks.channel(partnerId, payload.type)
          if (channel.url === null) return yield* urlMissing(payload.type)
          const id = yield* webhooks.createDelivery({
            partnerId,
            type: payload.type,
            event: "webhook.test",
            organizationId: null,
            url: channel.url,
            payload: JSON.stringify(testEvent(payload.type, partnerId, now)),
            now,
            queued: false
          })
          const delivery = yield* dispatcher.attemptOnce(id)
          return yield* Option.match(delivery, {
            onNone: () => Effect.dieMessage("The test delivery vanished"),
            onSome: (d) => Effect.succeed({ delivery: d })
          })
        }).pipe(orDieOnSql)
      )
      .handle("logs", ({ urlParams }) =>
        Effect.gen(function* () {
          const { partnerId } = yield* requestContext
          return yield* webhooks.logs(partnerId, urlParams)
        }).pipe(orDieOnSql)
      )
  })
)
