import type { WebhookType } from "@bullseye-partner/core/Domain/Webhook"
import { Effect, Option, Queue } from "effect"
import { Webhooks } from "./Webhooks.js"

/**
 * Records outbound webhook events as deliveries, inside the caller's transaction, so an event
 * exists exactly when the change that caused it was committed. The dispatcher sends them.
 */
export class Outbox extends Effect.Service<Outbox>()("@bullseye-partner/sandbox/Store/Outbox", {
  effect: Effect.gen(function* () {
    const webhooks = yield* Webhooks
    const wakeups = yield* Queue.sliding<void>(1)
    return {
      /** Creates a delivery when the channel is enabled with a url; the body is stored exactly as it will be sent. */
      emit: Effect.fn("Outbox.emit")(function* (input: {
        readonly partnerId: string
        readonly type: WebhookType
        readonly event: string
        readonly organizationId: string | null
        readonly payload: unknown
        readonly now: Date
      }) {
        const channel = yield* webhooks.channel(input.partnerId, input.type)
        if (!channel.enabled || channel.url === null) return Option.none<string>()
        const id = yield* webhooks.createDelivery({
          ...input,
          url: channel.url,
          payload: JSON.stringify(input.payload)
        })
        yield* Queue.offer(wakeups, undefined)
        return Option.some(id)
      }),
      /** Completes when an event was emitted since the last take (the dispatcher also polls). */
      awaitEmission: Queue.take(wakeups)
    }
  }),
  dependencies: [Webhooks.Default]
}) {}
