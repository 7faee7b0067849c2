import { HttpApiEndpoint, HttpApiGroup } from "@effect/platform"
import { Schema } from "effect"
import { PageFields, PageParams } from "../Domain/Common.js"
import {
  WebhookChannel,
  WebhookChannelUpdate,
  WebhookDelivery,
  WebhookLogParams,
  WebhookType
} from "../Domain/Webhook.js"
import { Wire } from "../Errors.js"
import { decidedWrapper, documented } from "./Endpoint.js"

/** A page of webhook deliveries. */
export const WebhookLogPage = Schema.Struct({
  logs: Schema.Array(WebhookDelivery),
  ...PageFields
}).annotations({ identifier: "WebhookLogPage" })

/** Query of `GET /partner/webhooks/logs`. */
export const WebhookLogQuery = Schema.Struct({ ...PageParams, ...WebhookLogParams })
export type WebhookLogQuery = typeof WebhookLogQuery.Type

const channelUpdate = <const Name extends string>(name: Name, type: "identification" | "billing") =>
  HttpApiEndpoint.put(name, `/partner/webhooks/${type}`)
    .setPayload(WebhookChannelUpdate)
    .addError(Wire.BadRequest)
    .addError(Wire.PayloadTooLarge)
    .addError(Wire.UnprocessableEntity)

/** Section 5: the two webhook channels, test sends and delivery logs. */
export class WebhooksGroup extends HttpApiGroup.make("webhooks")
  .add(
    HttpApiEndpoint.get("get", "/partner/webhooks")
      .addSuccess(Schema.Struct({ identification: WebhookChannel, billing: WebhookChannel }))
      .pipe(documented("read", "Both webhook channels"))
  )
  .add(
    channelUpdate("updateIdentification", "identification")
      .addSuccess(Schema.Struct({ identification: WebhookChannel }))
      .pipe(
        documented(
          "write",
          "Update the identification channel",
          "Partial. `https://` only (plain `http://` to localhost); the secret is write-only."
        )
      )
  )
  .add(
    channelUpdate("updateBilling", "billing")
      .addSuccess(Schema.Struct({ billing: WebhookChannel }))
      .pipe(documented("write", "Update the billing channel", "Same rules as the identification channel."))
  )
  .add(
    HttpApiEndpoint.post("test", "/partner/webhooks/test")
      .setPayload(
        Schema.Struct({ type: WebhookType }).annotations({ parseOptions: { onExcessProperty: "error" } })
      )
      .addSuccess(decidedWrapper("delivery", WebhookDelivery))
      .addError(Wire.BadRequest)
      .addError(Wire.PayloadTooLarge)
      .addError(Wire.UnprocessableEntity)
      .pipe(documented("write", "Send a test delivery", "One synchronous attempt, no retries."))
  )
  .add(
    HttpApiEndpoint.get("logs", "/partner/webhooks/logs")
      .setUrlParams(WebhookLogQuery)
      .addSuccess(WebhookLogPage)
      .addError(Wire.BadRequest)
      .pipe(documented("read", "Webhook delivery logs", "Newest first."))
  ) {}
