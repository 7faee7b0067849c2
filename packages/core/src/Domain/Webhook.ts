import { Schema } from "effect"
import { Id, OpenEnum, Timestamp } from "./Common.js"

/** The two webhook channels. */
export const WebhookType = Schema.Literal("identification", "billing")
export type WebhookType = typeof WebhookType.Type

/** A webhook channel; the secret is write-only. */
export const WebhookChannel = Schema.Struct({
  url: Schema.NullOr(Schema.String),
  enabled: Schema.Boolean,
  hasSecret: Schema.Boolean
}).annotations({ identifier: "WebhookChannel" })
export type WebhookChannel = typeof WebhookChannel.Type

const loopbackHosts = new Set(["localhost", "127.0.0.1", "[::1]"])

const isPrivateAddress = (host: string): boolean => {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase()
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h)
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])]
    return (
      a === 10 ||
      a === 127 ||
      a === 0 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127)
    )
  }
  if (h.includes(":")) {
    return h === "::1" || h === "::" || h.startsWith("fc") || h.startsWith("fd") || h.startsWith("fe80")
  }
  return h.endsWith(".localhost") || h.endsWith(".local") || h.endsWith(".internal")
}

/** Why a webhook URL is refused, or undefined when it is acceptable. */
export const webhookUrlProblem = (raw: string): string | undefined => {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return "Expected an absolute URL"
  }
  if (url.username !== "" || url.password !== "") return "Webhook URLs must not carry credentials"
  if (url.protocol === "http:") {
    return loopbackHosts.has(url.hostname) ? undefined : "Plain http:// is allowed only to localhost"
  }
  if (url.protocol !== "https:") return "Expected an https:// URL"
  if (loopbackHosts.has(url.hostname) || isPrivateAddress(url.hostname)) {
    return "Webhook URLs must not point to private, loopback or link-local addresses"
  }
  return undefined
}

/** The body of `PUT /partner/webhooks/{type}`; `null` clears url or secret. */
export const WebhookChannelUpdate = Schema.Struct({
  url: Schema.optional(
    Schema.NullOr(
      Schema.String.pipe(
        Schema.maxLength(2048),
        Schema.filter((u) => webhookUrlProblem(u) ?? true)
      )
    )
  ),
  secret: Schema.optional(
    Schema.NullOr(Schema.Redacted(Schema.String.pipe(Schema.minLength(8), Schema.maxLength(256))))
  ),
  enabled: Schema.optional(Schema.Boolean)
}).annotations({ identifier: "WebhookChannelUpdate", parseOptions: { onExcessProperty: "error" } })
export type WebhookChannelUpdate = typeof WebhookChannelUpdate.Type

/** One webhook delivery with its attempts so far. */
export const WebhookDelivery = Schema.Struct({
  id: Id,
  type: OpenEnum("WebhookTypeName", ["identification", "billing"]),
  event: Schema.String,
  organizationId: Schema.NullOr(Schema.String),
  url: Schema.String,
  status: OpenEnum("WebhookDeliveryStatus", ["pending", "retrying", "success", "failed"]),
  attempts: Schema.Int,
  responseStatus: Schema.NullOr(Schema.Int),
  error: Schema.NullOr(Schema.String),
  durationMs: Schema.NullOr(Schema.Int),
  createdAt: Timestamp,
  lastAttemptAt: Schema.NullOr(Timestamp),
  nextRetryAt: Schema.NullOr(Timestamp)
}).annotations({ identifier: "WebhookDelivery" })
export type WebhookDelivery = typeof WebhookDelivery.Type

/** Query of `GET /partner/webhooks/logs` besides paging. */
export const WebhookLogParams = {
  type: Schema.optional(WebhookType),
  status: Schema.optional(Schema.Literal("pending", "retrying", "success", "failed")),
  organizationId: Schema.optional(Schema.String.pipe(Schema.minLength(1), Schema.maxLength(255)))
}
