import {
  DeliveryHeader,
  EventHeader,
  SignatureHeader,
  verifyAndDecode
} from "@bullseye-partner/core/WebhookEvent"
import { Webhooks } from "@bullseye-partner/core/Webhooks"
import { Data, Effect, Either, Redacted } from "effect"
import { randomBytes } from "node:crypto"
import { createServer, type IncomingMessage } from "node:http"
import type { AddressInfo } from "node:net"

/** One delivery the local receiver got, with the outcome of its signature check. */
export interface Received {
  readonly deliveryId: string
  readonly event: string
  readonly at: Date
  readonly verified: boolean
  /** What the payload was about, or why it was refused. */
  readonly summary: string
}

export type ListenEvent =
  | { readonly _tag: "Ready"; readonly url: string }
  | { readonly _tag: "Received"; readonly received: Received }

export class ListenError extends Data.TaggedError("ListenError")<{ readonly message: string }> {}

const header = (request: IncomingMessage, name: string): string | undefined => {
  const value = request.headers[name.toLowerCase()]
  return Array.isArray(value) ? value[0] : value
}

const readBody = (request: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = []
    request.on("data", (chunk: Buffer) => chunks.push(chunk))
    request.on("end", () => resolve(Buffer.concat(chunks)))
    request.on("error", reject)
  })

const summarize = (event: unknown): string => {
  if (typeof event !== "object" || event === null) return ""
  if ("visitor" in event && typeof event.visitor === "object" && event.visitor !== null) {
    const v = event.visitor as {
      readonly email?: unknown
      readonly firstName?: unknown
      readonly lastName?: unknown
    }
    const company =
      "company" in event &&
      typeof event.company === "object" &&
      event.company !== null &&
      "name" in event.company
        ? ` at ${String(event.company.name)}`
        : ""
    return `${[v.firstName, v.lastName].filter((s) => typeof s === "string").join(" ") || String(v.email ?? "visitor")}${company}`
  }
  return "event" in event ? String(event.event) : ""
}

/**
 * Listen mode: a receiver on 127.0.0.1 with a fresh secret; the identification channel points at it
 * while the effect runs (its previous url and enabled flag come back when it is interrupted).
 */
export const listen = (onEvent: (event: ListenEvent) => void) =>
  Effect.scoped(
    Effect.gen(function* () {
      const secret = Redacted.make(randomBytes(24).toString("hex"))
      const server = yield* Effect.acquireRelease(
        Effect.async<ReturnType<typeof createServer>, ListenError>((resume) => {
          const s = createServer((request, response) => {
            void readBody(request).then(async (body) => {
              response.writeHead(200, { "content-type": "application/json" }).end("{}")
              const outcome = await Effect.runPromise(
                Effect.either(verifyAndDecode(secret, body, header(request, SignatureHeader)))
              )
              onEvent({
                _tag: "Received",
                received: {
                  deliveryId: header(request, DeliveryHeader) ?? "–",
                  event: header(request, EventHeader) ?? "?",
                  at: new Date(),
                  verified: Either.isRight(outcome),
                  summary: Either.isRight(outcome) ? summarize(outcome.right) : outcome.left.message
                }
              })
            })
          })
          s.once("error", () =>
            resume(Effect.fail(new ListenError({ message: "Cannot start the local receiver" })))
          )
          s.listen(0, "127.0.0.1", () => resume(Effect.succeed(s)))
        }),
        (s) =>
          Effect.async<void>((resume) => {
            s.closeAllConnections()
            s.close(() => resume(Effect.void))
          })
      )
      const port = (server.address() as AddressInfo).port
      const url = `http://127.0.0.1:${port}/bullseye-webhook`
      const webhooks = yield* Webhooks
      const before = (yield* webhooks.get()).identification
      yield* Effect.acquireRelease(webhooks.update("identification", { url, secret, enabled: true }), () =>
        webhooks.update("identification", { url: before.url, enabled: before.enabled }).pipe(Effect.ignore)
      )
      onEvent({ _tag: "Ready", url })
      return yield* Effect.never
    })
  )
