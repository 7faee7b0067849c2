import { createHmac, timingSafeEqual } from "node:crypto"
import { Effect, Redacted, Schema } from "effect"

const wellFormed = /^[0-9a-f]{64}$/

/** Why a webhook signature was refused; the message never carries the secret or the expected signature. */
export class WebhookSignatureError extends Schema.TaggedError<WebhookSignatureError>()(
  "WebhookSignatureError",
  {
    reason: Schema.Literal("Missing", "Malformed", "Mismatch"),
    message: Schema.String
  }
) {}

const digest = (secret: Redacted.Redacted<string>, body: Uint8Array | string): Buffer =>
  createHmac("sha256", Redacted.value(secret)).update(body).digest()

/** The `X-Bullseye-Signature` value for a body: lowercase hex HMAC-SHA256 of its bytes (strings as UTF-8). */
export const sign = (secret: Redacted.Redacted<string>, body: Uint8Array | string): string =>
  digest(secret, body).toString("hex")

const problem = (
  secret: Redacted.Redacted<string>,
  rawBody: Uint8Array | string,
  signatureHeader: string | undefined
): WebhookSignatureError["reason"] | undefined => {
  if (signatureHeader === undefined || signatureHeader === "") return "Missing"
  if (!wellFormed.test(signatureHeader)) return "Malformed"
  return timingSafeEqual(digest(secret, rawBody), Buffer.from(signatureHeader, "hex"))
    ? undefined
    : "Mismatch"
}

/** Whether the header is the signature of the raw body, compared in constant time; never throws. */
export const verify = (
  secret: Redacted.Redacted<string>,
  rawBody: Uint8Array | string,
  signatureHeader: string | undefined
): boolean => problem(secret, rawBody, signatureHeader) === undefined

const messages: Record<WebhookSignatureError["reason"], string> = {
  Missing: "The X-Bullseye-Signature header is missing",
  Malformed: "The X-Bullseye-Signature header is not 64 lowercase hex digits",
  Mismatch: "The X-Bullseye-Signature header does not match the body"
}

/** Succeeds when the header is the signature of the raw body, otherwise fails with `WebhookSignatureError`. */
export const verifyOrFail = (
  secret: Redacted.Redacted<string>,
  rawBody: Uint8Array | string,
  signatureHeader: string | undefined
): Effect.Effect<void, WebhookSignatureError> =>
  Effect.suspend(() => {
    const reason = problem(secret, rawBody, signatureHeader)
    return reason === undefined
      ? Effect.void
      : Effect.fail(new WebhookSignatureError({ reason, message: messages[reason] }))
  })
