import {
  HttpClient,
  HttpClientError,
  type HttpClientRequest,
  type HttpClientResponse,
  UrlParams
} from "@effect/platform"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodeStream from "@effect/platform-node/NodeStream"
import { Effect, Layer, type Tracer } from "effect"
import type { Dispatcher } from "undici"
import {
  BufferedResponse,
  declaredTooLarge,
  defaultMaxBodyBytes,
  tooLarge
} from "./internal/bufferedResponse.js"
import { type AttemptLimits, withNativeLimits } from "./internal/deadlines.js"

type RequestBody = Exclude<Dispatcher.RequestOptions["body"], undefined>

/**
 * An `HttpClient` for Node on undici's `request` API that reads every answer whole before handing it on.
 *
 * The Partner API answers small JSON bodies, each read in full by the SDK. Compared with
 * `@effect/platform-node`'s undici client (measured in `bench/sdk-overhead`), it saves per request the
 * client span, the AbortController kept for a response that might never be read, the FinalizationRegistry
 * entry that aborts such a response, and the fiber that caches its text: about 0.3 ms of CPU per 100
 * organizations, the larger part of the SDK's overhead over plain `fetch`. Reading the body inside `execute`
 * also puts it inside the per-attempt timeout, and a connection that fails mid-body is a transport error,
 * retried like any other. A body over the cap (16 MiB unless the transport sets another) is not read further.
 *
 * The method, URL and status are recorded on the caller's span (each SDK method has one); headers never are.
 */
export const make = (dispatcher: Dispatcher): HttpClient.HttpClient =>
  bounded(dispatcher, { deadline: undefined, maxBodyBytes: defaultMaxBodyBytes })

const bounded = (dispatcher: Dispatcher, limits: AttemptLimits): HttpClient.HttpClient =>
  withNativeLimits(
    HttpClient.makeWith<never, never, HttpClientError.HttpClientError, never>(
      (effect) =>
        Effect.flatMap(effect, (request) =>
          Effect.withFiberRuntime((fiber) => {
            const span = fiber.currentSpan
            return send(dispatcher, limits, request, span?._tag === "Span" ? span : undefined)
          })
        ),
      Effect.succeed
    ),
    // A timer per attempt that aborts the request: no fiber per attempt (see RetryPolicy.withAttemptTimeout).
    (next) => bounded(dispatcher, next)
  )

/** A client on its own undici `Agent` (keep-alive connection pool), closed with the layer. */
export const layer: Layer.Layer<HttpClient.HttpClient> = Layer.scoped(
  HttpClient.HttpClient,
  Effect.map(NodeHttpClient.makeDispatcher, make)
)

const transportError = (request: HttpClientRequest.HttpClientRequest, cause: unknown) =>
  new HttpClientError.RequestError({ request, reason: "Transport", cause })

const send = (
  dispatcher: Dispatcher,
  limits: AttemptLimits,
  request: HttpClientRequest.HttpClientRequest,
  span: Tracer.Span | undefined
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError> => {
  const made = UrlParams.makeUrl(request.url, request.urlParams, request.hash)
  if (made._tag === "Left") {
    return Effect.fail(new HttpClientError.RequestError({ request, reason: "InvalidUrl", cause: made.left }))
  }
  const url = made.right
  span?.attribute("http.request.method", request.method)
  span?.attribute("url.full", url.href)
  const { deadline, maxBodyBytes } = limits
  return Effect.flatMap(requestBody(request), (body) =>
    Effect.async<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>((resume) => {
      const controller = new AbortController()
      let settled = false
      const finish = () => {
        settled = true
        if (timer !== undefined) clearTimeout(timer)
      }
      const settle = (
        result: Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>
      ) => {
        if (settled) return
        finish()
        resume(result)
      }
      const timer =
        deadline === undefined
          ? undefined
          : setTimeout(() => {
              settle(Effect.fail(deadline.onTimeout(request)))
              controller.abort()
            }, deadline.timeoutMs)
      dispatcher
        .request({
          method: request.method as Dispatcher.HttpMethod,
          origin: url.origin,
          path: url.pathname + url.search,
          headers: request.headers,
          body,
          signal: controller.signal,
          // With a deadline, it covers the whole exchange, body included; without one undici's own
          // timeouts (5 minutes for the headers, 5 minutes between body chunks) still apply.
          ...(deadline === undefined ? {} : { headersTimeout: 0, bodyTimeout: 0 })
        })
        .then(
          (answer) => {
            span?.attribute("http.response.status_code", answer.statusCode)
            const refuse = () => {
              settle(Effect.fail(tooLarge(request, answer.statusCode, answer.headers, maxBodyBytes)))
              controller.abort()
            }
            const done = (bytes: Uint8Array) =>
              settle(Effect.succeed(new BufferedResponse(request, answer.statusCode, answer.headers, bytes)))
            const failed = (cause: unknown) => settle(Effect.fail(transportError(request, cause)))
            const length = answer.headers["content-length"]
            if (declaredTooLarge(length, maxBodyBytes)) return refuse()
            // A declared length within the cap is read in one go; otherwise the chunks are counted as they come.
            if (typeof length === "string") return void answer.body.bytes().then(done, failed)
            const chunks: Array<Buffer> = []
            let size = 0
            answer.body.on("data", (chunk: Buffer) => {
              size += chunk.byteLength
              if (size > maxBodyBytes) return refuse()
              chunks.push(chunk)
            })
            answer.body.on("end", () => done(Buffer.concat(chunks)))
            answer.body.on("error", failed)
          },
          (cause: unknown) => settle(Effect.fail(transportError(request, cause)))
        )
      // Interrupted: stop the timer and abort the request.
      return Effect.sync(() => {
        finish()
        controller.abort()
      })
    })
  )
}

const requestBody = (
  request: HttpClientRequest.HttpClientRequest
): Effect.Effect<RequestBody, HttpClientError.RequestError> => {
  const body = request.body
  switch (body._tag) {
    case "Empty":
      return Effect.succeed(null)
    case "Uint8Array":
      return Effect.succeed(body.body)
    case "Raw":
      return Effect.succeed(body.body as RequestBody)
    case "FormData":
      return Effect.succeed(body.formData as unknown as RequestBody)
    case "Stream":
      return NodeStream.toReadable(body.stream).pipe(
        Effect.mapError((cause) => new HttpClientError.RequestError({ request, reason: "Encode", cause }))
      )
  }
}
