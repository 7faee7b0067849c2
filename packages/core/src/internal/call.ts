import { HttpApiError, HttpClientError } from "@effect/platform"
import { type Cause, Effect, Option, ParseResult, Schema } from "effect"
import {
  BadRequest,
  fromWire,
  InternalError,
  NetworkError,
  ResponseDecodeError,
  Timeout,
  WireError,
  type ApiError,
  type ApiErrorClass,
  type RateLimitSnapshot,
  type RequestInfo
} from "../Errors.js"

// The status of the response a decode failure came from; a failure without one is the request's own. Keyed
// by the issue: the error itself reaches the mapping wrapped (Effect annotates failures with their span).
const responseStatuses = new WeakMap<ParseResult.ParseIssue, number>()

/** The failure of a response body that does not decode, remembering the response's status. */
export const responseParseError = (issue: ParseResult.ParseIssue, status: number): ParseResult.ParseError => {
  const error = ParseResult.parseError(issue)
  responseStatuses.set(issue, status)
  return error
}

/** Failures the raw HttpApiClient produces that the SDK turns into its own errors. */
export type RawFailure =
  HttpClientError.HttpClientError | ParseResult.ParseError | HttpApiError.HttpApiDecodeError

/** The error union of an endpoint as the SDK exposes it. */
export type SdkError<E> =
  Exclude<E, RawFailure> | NetworkError | Timeout | ResponseDecodeError | InternalError

/** How a transport failure came about, as the transport classifies it. */
export type FailureKind =
  | { readonly kind: "timeout"; readonly timeoutMs: number }
  | { readonly kind: "refused" }
  | { readonly kind: "network" }
  | { readonly kind: "other" }

export interface CallContext {
  readonly classify: (error: HttpClientError.HttpClientError) => FailureKind
  readonly snapshot: Effect.Effect<Option.Option<RateLimitSnapshot>>
}

const decodeWire = Schema.decodeUnknownOption(Schema.parseJson(WireError))

const issuePath = (error: ParseResult.ParseError): ReadonlyArray<string | number> => {
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
  return (issues[0]?.path ?? []).filter((p): p is string | number => typeof p !== "symbol")
}

const withContext = (error: ApiError, request: RequestInfo, rateLimit: Option.Option<RateLimitSnapshot>) => {
  const Class = error.constructor as ApiErrorClass
  return new Class({
    status: error.status,
    code: error.code,
    message: error.message,
    details: error.details,
    request,
    rateLimit: Option.getOrUndefined(rateLimit)
  })
}

const isApiError = (u: unknown): u is ApiError =>
  typeof u === "object" && u !== null && "code" in u && "status" in u && "details" in u && "_tag" in u

const mapFailure = (ctx: CallContext, request: RequestInfo, error: unknown): Effect.Effect<unknown> =>
  Effect.gen(function* () {
    if (isApiError(error)) return withContext(error, request, yield* ctx.snapshot)
    if (ParseResult.isParseError(error)) {
      const status = responseStatuses.get(error.issue)
      if (status === undefined) {
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
      return new ResponseDecodeError({
        message: `The ${status} response of ${request.method} ${request.path} does not match the contract`,
        status,
        path: issuePath(error),
        request
      })
    }
    if (error instanceof HttpApiError.HttpApiDecodeError) {
      return new ResponseDecodeError({
        message: `The server refused ${request.method} ${request.path} with a body outside the contract`,
        status: 400,
        path: [],
        request
      })
    }
    if (HttpClientError.isHttpClientError(error)) {
      if (error._tag === "ResponseError") {
        // An answer with a status the endpoint does not declare: 5xx are server failures, the rest break the contract.
        const response = error.response
        if (response.status >= 500) {
          const text = yield* response.text.pipe(Effect.orElseSucceed(() => ""))
          const body = Option.getOrElse(decodeWire(text), () => ({
            code: "InternalError",
            message: `The server answered ${response.status}`,
            details: {}
          }))
          return withContext(fromWire(response.status, body), request, yield* ctx.snapshot)
        }
        return new ResponseDecodeError({
          message: `Unexpected status ${response.status} for ${request.method} ${request.path}`,
          status: response.status,
          path: [],
          request
        })
      }
      const failure = ctx.classify(error)
      if (failure.kind === "timeout") {
        return new Timeout({
          message: `No answer to ${request.method} ${request.path} within ${failure.timeoutMs} ms`,
          timeoutMs: failure.timeoutMs,
          request
        })
      }
      const outcomeUnknown = request.method === "POST" && failure.kind !== "refused"
      return new NetworkError({
        message:
          failure.kind === "refused"
            ? `Connection refused for ${request.method} ${request.path}`
            : `Connection failed during ${request.method} ${request.path}${outcomeUnknown ? "; the request may have been processed" : ""}`,
        outcomeUnknown,
        request
      })
    }
    return error
  })

/** Runs one endpoint call and maps every failure, once, into the SDK's typed errors. */
export const call =
  (ctx: CallContext, request: RequestInfo) =>
  <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, SdkError<E>, R> =>
    Effect.catchAllCause(effect, (cause) =>
      cause._tag === "Fail"
        ? Effect.flatMap(mapFailure(ctx, request, cause.error), (error) => Effect.fail(error as SdkError<E>))
        : Effect.failCause(cause as Cause.Cause<never>)
    )
