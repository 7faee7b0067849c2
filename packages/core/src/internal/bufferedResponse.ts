import {
  Cookies,
  Headers,
  HttpClientError,
  type HttpClientRequest,
  HttpClientResponse,
  HttpIncomingMessage,
  UrlParams
} from "@effect/platform"
import { Data, Effect, Inspectable, Option, Stream } from "effect"

/** The default cap on a response body: no Partner API answer comes near it, and memory stays bounded. */
export const defaultMaxBodyBytes = 16 * 1024 * 1024

/** The cause of a response failure when the body is larger than the client accepts. */
export class BodyTooLarge extends Data.TaggedError("BodyTooLarge")<{ readonly maxBytes: number }> {}

const decoder = new TextDecoder()

/** An answer already read in full: its body can be read any number of times. */
export class BufferedResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
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

/** The failure of an answer whose body is over the cap (its status and headers kept, its body not). */
export const tooLarge = (
  request: HttpClientRequest.HttpClientRequest,
  status: number,
  headers: Record<string, string | Array<string> | undefined>,
  maxBytes: number
) =>
  new HttpClientError.ResponseError({
    request,
    response: new BufferedResponse(request, status, headers, new Uint8Array(0)),
    reason: "Decode",
    cause: new BodyTooLarge({ maxBytes })
  })

/** Whether a declared `content-length` is already over the cap. */
export const declaredTooLarge = (value: string | Array<string> | undefined, maxBytes: number): boolean =>
  typeof value === "string" && Number(value) > maxBytes

/**
 * Reads any client's answer whole, up to `maxBytes`, into a `BufferedResponse`. A body cut off is a
 * `Transport` `RequestError` (the connection failed), not a decode problem; reading stops at the cap.
 */
export const readWhole = (
  response: HttpClientResponse.HttpClientResponse,
  maxBytes: number
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError> => {
  if (response instanceof BufferedResponse) return Effect.succeed(response)
  const request = response.request
  const headers: Record<string, string> = { ...response.headers }
  if (declaredTooLarge(headers["content-length"], maxBytes)) {
    return Effect.fail(tooLarge(request, response.status, headers, maxBytes))
  }
  const chunks: Array<Uint8Array> = []
  let size = 0
  return response.stream.pipe(
    Stream.runForEachWhile((chunk) =>
      Effect.sync(() => {
        size += chunk.byteLength
        if (size > maxBytes) return false
        chunks.push(chunk)
        return true
      })
    ),
    Effect.mapError(
      (error) =>
        new HttpClientError.RequestError({ request, reason: "Transport", cause: error.cause ?? error })
    ),
    Effect.flatMap(() =>
      size > maxBytes
        ? Effect.fail(tooLarge(request, response.status, headers, maxBytes))
        : Effect.succeed(new BufferedResponse(request, response.status, headers, Buffer.concat(chunks)))
    )
  )
}
