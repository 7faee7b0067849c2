import type { HttpApiError } from "@effect/platform"
import type { HttpClientError } from "@effect/platform"
import { type Cause, Data, Effect, Option, ParseResult, Redacted, Schema } from "effect"
import {
  BadRequest,
  errorClassByStatus,
  InternalError,
  NetworkError,
  RateLimited,
  ResponseDecodeError,
  Timeout,
  WireError,
  wireCode,
  type ApiError,
  type ApiErrorArgs,
  type ApiErrorClass,
  type RateLimitSnapshot,
  type RequestInfo
} from "../Errors.js"
import type { FailureKind } from "../RetryPolicy.js"
import { BodyTooLarge } from "./bufferedResponse.js"
import { isWrite } from "./methods.js"

/**
 * An answer the endpoint's schemas could not read: a declared status whose body does not decode (`issue`),
 * or a status the endpoint does not declare (no `issue`). It keeps the raw body for the error the caller sees.
 */
export class UndecodedResponse extends Data.TaggedError("UndecodedResponse")<{
  readonly status: number
  readonly text: string
  readonly issue: ParseResult.ParseIssue | undefined
}> {}

/** Failures the raw client produces that the SDK turns into its own errors. */
export type RawFailure =
  | HttpClientError.HttpClientError
  | ParseResult.ParseError
  | HttpApiError.HttpApiDecodeError
  | UndecodedResponse

/** The error union of an endpoint as the SDK exposes it. */
export type SdkError<E> =
  Exclude<E, RawFailure> | NetworkError | Timeout | ResponseDecodeError | InternalError | RateLimited

export interface CallContext {
  readonly classify: (error: HttpClientError.HttpClientError) => FailureKind
  readonly snapshot: Effect.Effect<Option.Option<RateLimitSnapshot>>
  /** When the server accepts requests again, if the rate limit is known to be spent. */
  readonly retryAt: Effect.Effect<Option.Option<number>>
}

const decodeWire = Schema.decodeUnknownOption(Schema.parseJson(WireError))

const issuePath = (issue: ParseResult.ParseIssue): ReadonlyArray<string | number> => {
  const issues = ParseResult.ArrayFormatter.formatIssueSync(issue)
  return (issues[0]?.path ?? []).filter((p): p is string | number => typeof p !== "symbol")
}

/** Whether a status is a success of any kind (the real API may pick another 2xx than the contract). */
export const is2xx = (status: number) => status >= 200 && status < 300

const undecoded = (
  request: RequestInfo,
  status: number,
  text: string,
  path: ReadonlyArray<string | number>,
  problem: string
) => {
  const applied = is2xx(status)
  return new ResponseDecodeError({
    message: `${problem}${applied ? "; the request was applied" : ""}`,
    status,
    applied,
    body: Redacted.make(text),
    path,
    request
  })
}

const invalidRequest = (error: ParseResult.ParseError, request: RequestInfo) => {
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error).map((i) => ({
    path: i.path.filter((p) => typeof p !== "symbol"),
    message: i.message
  }))
  return new BadRequest({
    status: 400,
    code: "InvalidRequest",
    message: `Invalid request: ${issues.map((i) => `${i.path.join(".") || "(input)"}: ${i.message}`).join("; ")}`,
    details: { issues },
    request
  })
}

/** Builds the SDK error of a status, adding what the call knows: request, rate limit, outcome, retry time. */
const apiError = (ctx: CallContext, request: RequestInfo, status: number, body: WireError) =>
  Effect.gen(function* () {
    const args: ApiErrorArgs = {
      status,
      code: body.code,
      message: body.message,
      details: body.details,
      request,
      rateLimit: Option.getOrUndefined(yield* ctx.snapshot)
    }
    if (status >= 500) return new InternalError({ ...args, outcomeUnknown: isWrite(request.method) })
    if (status === 429)
      return new RateLimited({ ...args, retryAt: Option.getOrUndefined(yield* ctx.retryAt) })
    const Class: ApiErrorClass = errorClassByStatus[status] ?? BadRequest
    return new Class(args)
  })

// A status whose body is not the wire error still says what happened: a proxy's 5xx page or a gateway's 429.
const withoutWireBody = (status: number): WireError => ({
  code: status === 429 ? wireCode.RateLimited : wireCode.InternalError,
  message: `The server answered ${status} without an error body`,
  details: {}
})

const fromUndecoded = (ctx: CallContext, request: RequestInfo, failure: UndecodedResponse) => {
  const { status, text, issue } = failure
  if (status >= 500 || status === 429) {
    return apiError(
      ctx,
      request,
      status,
      Option.getOrElse(decodeWire(text), () => withoutWireBody(status))
    )
  }
  return Effect.succeed(
    issue === undefined
      ? undecoded(
          request,
          status,
          text,
          [],
          `Unexpected status ${status} for ${request.method} ${request.path}`
        )
      : undecoded(
          request,
          status,
          text,
          issuePath(issue),
          `The ${status} response of ${request.method} ${request.path} does not match the contract`
        )
  )
}

const fromHttpClient = (ctx: CallContext, request: RequestInfo, error: HttpClientError.HttpClientError) => {
  if (error._tag === "ResponseError" && error.cause instanceof BodyTooLarge) {
    const status = error.response.status
    return Effect.succeed(
      undecoded(
        request,
        status,
        "",
        [],
        `The ${status} response of ${request.method} ${request.path} is larger than ${error.cause.maxBytes} bytes`
      )
    )
  }
  const failure = ctx.classify(error)
  switch (failure.kind) {
    case "timeout":
      return Effect.succeed(
        new Timeout({
          message: `No answer to ${request.method} ${request.path} within ${failure.timeoutMs} ms`,
          timeoutMs: failure.timeoutMs,
          request
        })
      )
    case "rateLimited":
      return Effect.map(ctx.snapshot, (snapshot) => {
        const seconds = Math.ceil(failure.waitMs / 1000)
        return new RateLimited({
          status: 429,
          code: wireCode.RateLimited,
          message: `Rate limited until ${new Date(failure.retryAt).toISOString()} (${seconds} s), longer than this client waits; ${request.method} ${request.path} was not sent`,
          details: {},
          request,
          rateLimit: Option.getOrUndefined(snapshot),
          retryAt: failure.retryAt
        })
      })
    default: {
      const outcomeUnknown = isWrite(request.method) && failure.kind !== "refused"
      return Effect.succeed(
        new NetworkError({
          message:
            failure.kind === "refused"
              ? `Connection refused for ${request.method} ${request.path}`
              : `Connection failed during ${request.method} ${request.path}${outcomeUnknown ? "; the request may have been processed" : ""}`,
          outcomeUnknown,
          request
        })
      )
    }
  }
}

type CallFailure = ApiError | RawFailure

const mapFailure = (ctx: CallContext, request: RequestInfo, error: CallFailure): Effect.Effect<unknown> => {
  switch (error._tag) {
    case "BadRequest":
    case "Unauthorized":
    case "Forbidden":
    case "NotFound":
    case "Conflict":
    case "PayloadTooLarge":
    case "UnprocessableEntity":
    case "RateLimited":
    case "InternalError":
      return apiError(ctx, request, error.status, error)
    case "UndecodedResponse":
      return fromUndecoded(ctx, request, error)
    case "ParseError":
      return Effect.succeed(invalidRequest(error, request))
    case "HttpApiDecodeError":
      return Effect.succeed(
        undecoded(
          request,
          400,
          "",
          [],
          `The server refused ${request.method} ${request.path} with a body outside the contract`
        )
      )
    case "RequestError":
    case "ResponseError":
      return fromHttpClient(ctx, request, error)
    default:
      return Effect.succeed(error)
  }
}

/** Runs one endpoint call and maps every failure, once and by its tag, into the SDK's typed errors. */
export const call =
  (ctx: CallContext, request: RequestInfo) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, SdkError<E>, R> =>
    Effect.catchAllCause(effect, (cause) =>
      cause._tag === "Fail"
        ? Effect.flatMap(mapFailure(ctx, request, cause.error as CallFailure), (error) =>
            Effect.fail(error as SdkError<E>)
          )
        : Effect.failCause(cause as Cause.Cause<never>)
    )
