import {
  Cookies,
  Headers,
  HttpClient,
  HttpClientError,
  type HttpClientRequest,
  HttpClientResponse,
  HttpIncomingMessage,
  UrlParams
} from "@effect/platform"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodeStream from "@effect/platform-node/NodeStream"
import { Effect, Inspectable, Layer, Option, Stream, type Tracer } from "effect"
import type { Dispatcher } from "undici"
import { type OnTimeout, withNativeTimeout } from "./internal/deadlines.js"

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
 * retried like any other.
 *
 * The method, URL and status are recorded on the caller's span (each SDK method has one); headers never are.
 */
export const make = (dispatcher: Dispatcher): HttpClient.HttpClient => bounded(dispatcher, undefined)

interface Deadline {
  readonly timeoutMs: number
  readonly onTimeout: OnTimeout
}

const bounded = (dispatcher: Dispatcher, deadline: Deadline | undefined): HttpClient.HttpClient =>
  withNativeTimeout(
    HttpClient.makeWith<never, never, HttpClientError.HttpClientError, never>(
      (effect) =>
        Effect.flatMap(effect, (request) =>
          Effect.withFiberRuntime((fiber) => {
            const span = fiber.currentSpan
            return send(dispatcher, deadline, request, span?._tag === "Span" ? span : undefined)
          })
        ),
      Effect.succeed
    ),
    // A timer per attempt that aborts the request: no fiber per attempt (see RetryPolicy.withAttemptTimeout).
    (timeoutMs, onTimeout) => bounded(dispatcher, { timeoutMs, onTimeout })
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
  deadline: Deadline | undefined,
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
          (answer) =>
            answer.body.bytes().then(
              (bytes) => {
                span?.attribute("http.response.status_code", answer.statusCode)
                settle(
                  Effect.succeed(new BufferedResponse(request, answer.statusCode, answer.headers, bytes))
                )
              },
              (cause: unknown) => settle(Effect.fail(transportError(request, cause)))
            ),
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

const decoder = new TextDecoder()

/** An answer already read in full: its body can be read any number of times. */
class BufferedResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [HttpIncomingMessage.TypeId]: HttpIncomingMessage.TypeId = HttpIncomingMessage.TypeId
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId
  private cachedHeaders: Headers.Headers | undefined
  private cachedText: string | undefined

  constructor(
    readonly request: HttpClientRequest.HttpClientRequest,
    readonly status: number,
    private readonly rawHeaders: Record<string, string | Array<string> | undefined>,
    private readonly bytes: Uint8Array
  ) {
    super()
  }

  get headers(): Headers.Headers {
    return (this.cachedHeaders ??= Headers.fromInput(this.rawHeaders))
  }

  get cookies(): Cookies.Cookies {
    const header = this.rawHeaders["set-cookie"]
    if (header === undefined) return Cookies.empty
    return Cookies.fromSetCookie(Array.isArray(header) ? header : [header])
  }

  get remoteAddress(): Option.Option<string> {
    return Option.none()
  }

  private decodeError(cause: unknown) {
    return new HttpClientError.ResponseError({
      request: this.request,
      response: this,
      reason: "Decode",
      cause
    })
  }

  get text(): Effect.Effect<string, HttpClientError.ResponseError> {
    return Effect.sync(() => (this.cachedText ??= decoder.decode(this.bytes)))
  }

  get json(): Effect.Effect<unknown, HttpClientError.ResponseError> {
    return Effect.flatMap(this.text, (text) =>
      Effect.try({
        try: () => (text === "" ? null : JSON.parse(text)),
        catch: (cause) => this.decodeError(cause)
      })
    )
  }

  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpClientError.ResponseError> {
    return Effect.map(this.text, (text) => UrlParams.fromInput(new URLSearchParams(text)))
  }

  private copy(): ArrayBuffer {
    return this.bytes.buffer.slice(
      this.bytes.byteOffset,
      this.bytes.byteOffset + this.bytes.byteLength
    ) as ArrayBuffer
  }

  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.ResponseError> {
    return Effect.sync(() => this.copy())
  }

  get formData(): Effect.Effect<FormData, HttpClientError.ResponseError> {
    return Effect.tryPromise({
      try: () => new Response(this.copy(), { headers: this.headers as Record<string, string> }).formData(),
      catch: (cause) => this.decodeError(cause)
    })
  }

  get stream(): Stream.Stream<Uint8Array, HttpClientError.ResponseError> {
    return Stream.succeed(this.bytes)
  }

  toJSON(): unknown {
    return HttpIncomingMessage.inspect(this, {
      _id: "@effect/platform/HttpClientResponse",
      request: this.request.toJSON(),
      status: this.status
    })
  }
}
