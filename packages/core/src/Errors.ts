import { HttpApiSchema } from "@effect/platform"
import { Schema } from "effect"
import { isWrite } from "./internal/methods.js"

/** The `details` object of a wire error. */
export const ErrorDetails = Schema.Record({ key: Schema.String, value: Schema.Unknown })
export type ErrorDetails = typeof ErrorDetails.Type

/** The error body every refusal carries on the wire: `{code, message, details}`, no `_tag`. */
export const WireError = Schema.Struct({
  code: Schema.String,
  message: Schema.String,
  details: Schema.optionalWith(ErrorDetails, { default: () => ({}) })
}).annotations({ identifier: "WireError" })
export type WireError = typeof WireError.Type

/** The rate-limit state known when an error arose. */
export const RateLimitSnapshot = Schema.Struct({
  limit: Schema.Number,
  remaining: Schema.Number,
  resetAt: Schema.Number
})
export type RateLimitSnapshot = typeof RateLimitSnapshot.Type

/** Which request an error belongs to. */
export const RequestInfo = Schema.Struct({ method: Schema.String, path: Schema.String })
export type RequestInfo = typeof RequestInfo.Type

const apiErrorFields = {
  status: Schema.Number,
  code: Schema.String,
  message: Schema.String,
  details: ErrorDetails,
  request: Schema.optional(RequestInfo),
  rateLimit: Schema.optional(RateLimitSnapshot)
}

/** 400: malformed JSON, wrong types, out-of-range values, unknown fields, bad query parameters. */
export class BadRequest extends Schema.TaggedError<BadRequest>()("BadRequest", apiErrorFields) {}
/** 401: missing, invalid, revoked or expired API key. */
export class Unauthorized extends Schema.TaggedError<Unauthorized>()("Unauthorized", apiErrorFields) {}
/** 403: the key's scopes do not allow the endpoint. */
export class Forbidden extends Schema.TaggedError<Forbidden>()("Forbidden", apiErrorFields) {}
/** 404: unknown resource (including another partner's). */
export class NotFound extends Schema.TaggedError<NotFound>()("NotFound", apiErrorFields) {}
/** 409: duplicate `externalId`. */
export class Conflict extends Schema.TaggedError<Conflict>()("Conflict", apiErrorFields) {}
/** 413: request body over 1 MiB. */
export class PayloadTooLarge extends Schema.TaggedError<PayloadTooLarge>()(
  "PayloadTooLarge",
  apiErrorFields
) {}
/** 422: a business rule refuses a valid request; `details.reason` says which. */
export class UnprocessableEntity extends Schema.TaggedError<UnprocessableEntity>()(
  "UnprocessableEntity",
  apiErrorFields
) {}
/**
 * 429: the partner's rate limit is spent; `retryAt` (client epoch ms, when known) is when the server accepts
 * requests again. A wait longer than the governor's bound fails fast with this error instead of sleeping.
 */
export class RateLimited extends Schema.TaggedError<RateLimited>()("RateLimited", {
  ...apiErrorFields,
  retryAt: Schema.optional(Schema.Number)
}) {}
/**
 * 5xx (or a proxy's 502/503/504 with any body): the server failed; for a write `outcomeUnknown` says it may
 * have been applied all the same.
 */
export class InternalError extends Schema.TaggedError<InternalError>()("InternalError", {
  ...apiErrorFields,
  outcomeUnknown: Schema.optionalWith(Schema.Boolean, { default: () => false })
}) {}

/** The connection failed; for a write `outcomeUnknown` says the request may have been processed. */
export class NetworkError extends Schema.TaggedError<NetworkError>()("NetworkError", {
  message: Schema.String,
  outcomeUnknown: Schema.Boolean,
  request: Schema.optional(RequestInfo)
}) {}

/** No answer within the timeout; the request may have been processed. */
export class Timeout extends Schema.TaggedError<Timeout>()("Timeout", {
  message: Schema.String,
  timeoutMs: Schema.Number,
  request: Schema.optional(RequestInfo)
}) {}

/**
 * The answer did not match the contract. `applied` is true for a 2xx: the server did what was asked, only its
 * answer is unreadable. `body` is the raw answer, redacted (it may hold a key); `path` locates the problem.
 */
export class ResponseDecodeError extends Schema.TaggedError<ResponseDecodeError>()("ResponseDecodeError", {
  message: Schema.String,
  status: Schema.Number,
  applied: Schema.Boolean,
  body: Schema.Redacted(Schema.String),
  path: Schema.Array(Schema.Union(Schema.String, Schema.Number)),
  request: Schema.optional(RequestInfo)
}) {}

const wrote = (request: RequestInfo | undefined) => request === undefined || isWrite(request.method)

/**
 * Whether a write that failed with this error may have taken effect, so the caller must read the resource
 * again before deciding: a server failure or lost connection after sending, a timeout, or an applied
 * request whose answer did not decode. Always false for reads.
 */
export const outcomeUnknown = (error: unknown): boolean =>
  error instanceof InternalError || error instanceof NetworkError
    ? error.outcomeUnknown
    : (error instanceof Timeout || (error instanceof ResponseDecodeError && error.applied)) &&
      wrote(error.request)

/** Every error the API answers with, by HTTP status family. */
export type ApiError =
  | BadRequest
  | Unauthorized
  | Forbidden
  | NotFound
  | Conflict
  | PayloadTooLarge
  | UnprocessableEntity
  | RateLimited
  | InternalError

/** Errors of the transport rather than of the API. */
export type TransportError = NetworkError | Timeout | ResponseDecodeError

/** The constructor arguments shared by every API error class. */
export interface ApiErrorArgs {
  readonly status: number
  readonly code: string
  readonly message: string
  readonly details: ErrorDetails
  readonly request?: RequestInfo | undefined
  readonly rateLimit?: RateLimitSnapshot | undefined
}

/** The constructor shape shared by every API error class. */
export type ApiErrorClass = new (args: ApiErrorArgs) => ApiError

/** The error class for each status the API documents; other 5xx are InternalError. */
export const errorClassByStatus: Readonly<Record<number, ApiErrorClass>> = {
  400: BadRequest,
  401: Unauthorized,
  403: Forbidden,
  404: NotFound,
  409: Conflict,
  413: PayloadTooLarge,
  422: UnprocessableEntity,
  429: RateLimited,
  500: InternalError
}

/** The wire code each error class is emitted with by the sandbox. */
export const wireCode = {
  BadRequest: "BadRequest",
  Unauthorized: "Unauthorized",
  Forbidden: "Forbidden",
  NotFound: "NotFound",
  Conflict: "Conflict",
  PayloadTooLarge: "PayloadTooLarge",
  UnprocessableEntity: "UnprocessableEntity",
  RateLimited: "TooManyRequests",
  InternalError: "InternalError"
} as const

const wire = <A extends ApiError, I>(
  Class: Schema.Schema<A, I> & (new (args: ConstructorParameters<ApiErrorClass>[0]) => A),
  status: number
) =>
  Schema.transform(WireError, Schema.typeSchema(Class), {
    strict: false,
    decode: (w) => new Class({ status, code: w.code, message: w.message, details: w.details }),
    encode: (e) => ({ code: e.code, message: e.message, details: e.details })
  }).annotations(HttpApiSchema.annotations({ status }))

/** Wire schemas: the `{code, message, details}` body at each status, decoded into the typed error. */
export const Wire = {
  BadRequest: wire(BadRequest, 400),
  Unauthorized: wire(Unauthorized, 401),
  Forbidden: wire(Forbidden, 403),
  NotFound: wire(NotFound, 404),
  Conflict: wire(Conflict, 409),
  PayloadTooLarge: wire(PayloadTooLarge, 413),
  UnprocessableEntity: wire(UnprocessableEntity, 422),
  RateLimited: wire(RateLimited, 429),
  InternalError: wire(InternalError, 500)
}
