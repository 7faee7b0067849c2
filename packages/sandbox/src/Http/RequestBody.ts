import type { HttpServerRequest } from "@effect/platform"
import { NodeHttpServerRequest } from "@effect/platform-node"
import { Effect } from "effect"

/** A request body read by the gateway. */
export type RequestBody =
  | { readonly _tag: "Empty" }
  | { readonly _tag: "Text"; readonly text: string }
  | { readonly _tag: "TooLarge" }

const hasBody = (request: HttpServerRequest.HttpServerRequest): boolean => {
  const length = request.headers["content-length"]
  return (length !== undefined && length !== "0") || request.headers["transfer-encoding"] !== undefined
}

/**
 * Reads the body up to `maxBytes`. A declared length over the limit is refused without reading; a
 * chunked body over it is drained (not kept) so the 413 can still be delivered.
 */
export const readBody = (
  request: HttpServerRequest.HttpServerRequest,
  maxBytes: number
): Effect.Effect<RequestBody> => {
  if (!hasBody(request)) return Effect.succeed({ _tag: "Empty" })
  const declared = Number(request.headers["content-length"])
  if (Number.isFinite(declared) && declared > maxBytes) return Effect.succeed({ _tag: "TooLarge" })
  const incoming = NodeHttpServerRequest.toIncomingMessage(request)
  return Effect.async<RequestBody>((resume) => {
    const chunks: Array<Buffer> = []
    let size = 0
    let tooLarge = false
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > maxBytes) tooLarge = true
      else chunks.push(chunk)
    }
    const onEnd = () => {
      cleanup()
      if (tooLarge) resume(Effect.succeed({ _tag: "TooLarge" }))
      else if (size === 0) resume(Effect.succeed({ _tag: "Empty" }))
      else resume(Effect.succeed({ _tag: "Text", text: Buffer.concat(chunks).toString("utf8") }))
    }
    const onError = () => {
      cleanup()
      resume(Effect.succeed({ _tag: "Empty" }))
    }
    const cleanup = () => {
      incoming.off("data", onData)
      incoming.off("end", onEnd)
      incoming.off("error", onError)
    }
    incoming.on("data", onData)
    incoming.on("end", onEnd)
    incoming.on("error", onError)
    return Effect.sync(cleanup)
  })
}

/** The request with its body replaced by text already read, so the framework never reads the stream again. */
export const withBodyText = (
  request: HttpServerRequest.HttpServerRequest,
  text: string
): HttpServerRequest.HttpServerRequest =>
  Object.create(request, {
    text: { value: Effect.succeed(text), enumerable: false }
  }) as HttpServerRequest.HttpServerRequest
