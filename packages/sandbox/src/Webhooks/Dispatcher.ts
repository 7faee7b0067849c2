import { DeliveryHeader, EventHeader, SignatureHeader } from "@bullseye-partner/core/WebhookEvent"
import { sign } from "@bullseye-partner/core/WebhookSignature"
import { Duration, Effect, Option, Schedule } from "effect"
import { SandboxClock } from "../SandboxClock.js"
import { SandboxConfig } from "../SandboxConfig.js"
import { Outbox } from "../Store/Outbox.js"
import { Webhooks, type DueDelivery } from "../Store/Webhooks.js"
import { WebhookSender } from "./Sender.js"

/** Delays before attempts 2..6 (attempt 1 is immediate), before compression by the time scale. */
export const retryDelays: ReadonlyArray<Duration.Duration> = [
  Duration.minutes(1),
  Duration.minutes(5),
  Duration.minutes(30),
  Duration.hours(2),
  Duration.hours(6)
]

/** The most attempts a delivery gets. */
export const maxAttempts = retryDelays.length + 1

/**
 * Sends recorded deliveries: signed with the channel's secret, retried on the schedule until a 2xx
 * or the last attempt, every attempt logged; a disabled channel stops pending retries.
 */
export class Dispatcher extends Effect.Service<Dispatcher>()(
  "@bullseye-partner/sandbox/Webhooks/Dispatcher",
  {
    scoped: Effect.gen(function* () {
      const webhooks = yield* Webhooks
      const outbox = yield* Outbox
      const sender = yield* WebhookSender
      const clock = yield* SandboxClock
      const config = yield* SandboxConfig

      const attempt = (delivery: DueDelivery, retries: boolean) =>
        Effect.gen(function* () {
          const channel = yield* webhooks.channelState(delivery.partnerId, delivery.type)
          if (retries && (!channel.enabled || channel.url === null)) {
            return yield* webhooks.abandon(delivery.id, "Channel disabled before delivery")
          }
          const headers: Record<string, string> = {
            "content-type": "application/json",
            "user-agent": "Bullseye-Webhooks/1",
            [EventHeader.toLowerCase()]: delivery.event,
            [DeliveryHeader.toLowerCase()]: delivery.id
          }
          if (Option.isSome(channel.secret)) {
            headers[SignatureHeader.toLowerCase()] = sign(channel.secret.value, delivery.payload)
          }
          const result = yield* sender.send(delivery.url, delivery.payload, headers)
          const number = delivery.attempts + 1
          const ok =
            result.responseStatus !== null && result.responseStatus >= 200 && result.responseStatus < 300
          const at = yield* clock.now
          const delay = retryDelays[number - 1]
          const again = !ok && retries && delay !== undefined
          const next = again
            ? new Date(at.getTime() + Duration.toMillis(delay) / config.webhookTimeScale)
            : null
          yield* webhooks.recordAttempt(
            delivery.id,
            number,
            result,
            ok ? "success" : again ? "retrying" : "failed",
            at,
            next
          )
        })

      const runDue = Effect.gen(function* () {
        const due = yield* webhooks.due(yield* clock.now, 50)
        yield* Effect.forEach(due, (d) => attempt(d, true), { concurrency: 8, discard: true })
        return due.length
      })

      yield* runDue.pipe(
        Effect.flatMap((count) =>
          count > 0
            ? Effect.void
            : Effect.race(outbox.awaitEmission, Effect.sleep(config.dispatcherPollMillis))
        ),
        Effect.catchAllCause((cause) => Effect.logWarning("Webhook dispatch failed", cause)),
        Effect.repeat(Schedule.forever),
        Effect.forkScoped
      )

      return {
        /** One synchronous attempt without retries (the test endpoint); the delivery afterwards. */
        attemptOnce: Effect.fn("Dispatcher.attemptOnce")(function* (deliveryId: string) {
          const pending = yield* webhooks.pending(deliveryId)
          if (Option.isSome(pending)) yield* attempt(pending.value, false)
          return yield* webhooks.delivery(deliveryId)
        })
      }
    })
  }
) {}
