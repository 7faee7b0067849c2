import {
  BadRequest,
  Conflict,
  Forbidden,
  InternalError,
  NotFound,
  PayloadTooLarge,
  RateLimited,
  Unauthorized,
  UnprocessableEntity,
  wireCode
} from "@bullseye-partner/core/Errors"
import { wireDate } from "./time.js"

/** One problem of a refused request: where (`["body", "credits"]`) and what. */
export interface Issue {
  readonly path: ReadonlyArray<string | number>
  readonly message: string
}

export const badRequest = (issues: ReadonlyArray<Issue>, message?: string): BadRequest =>
  new BadRequest({
    status: 400,
    code: wireCode.BadRequest,
    message:
      message ??
      `Invalid request: ${issues.map((i) => `${i.path.length === 0 ? "(request)" : i.path.join(".")}: ${i.message}`).join("; ")}`,
    details: { issues }
  })

export const unauthorized = (message = "Invalid or missing API key"): Unauthorized =>
  new Unauthorized({ status: 401, code: wireCode.Unauthorized, message, details: {} })

export const forbidden = (requiredScope: string, keyScopes: ReadonlyArray<string>): Forbidden =>
  new Forbidden({
    status: 403,
    code: wireCode.Forbidden,
    message: `This API key lacks the "${requiredScope}" scope`,
    details: { requiredScope, keyScopes }
  })

export const notFound = (message: string): NotFound =>
  new NotFound({ status: 404, code: wireCode.NotFound, message, details: {} })

export const conflict = (message: string, details: Record<string, unknown>): Conflict =>
  new Conflict({ status: 409, code: wireCode.Conflict, message, details })

export const payloadTooLarge = (limitBytes: number): PayloadTooLarge =>
  new PayloadTooLarge({
    status: 413,
    code: wireCode.PayloadTooLarge,
    message: `The request body exceeds ${limitBytes} bytes`,
    details: { limitBytes }
  })

export const unprocessable = (
  reason: string,
  message: string,
  details: Record<string, unknown> = {}
): UnprocessableEntity =>
  new UnprocessableEntity({
    status: 422,
    code: wireCode.UnprocessableEntity,
    message,
    details: { reason, ...details }
  })

export const rateLimited = (limit: number, resetAt: Date): RateLimited => {
  const at = wireDate(resetAt)
  return new RateLimited({
    status: 429,
    code: wireCode.RateLimited,
    message: `Rate limit of ${limit} requests exceeded; retry after ${at}`,
    details: { limit, resetAt: at }
  })
}

export const internalError = (status = 500, message = "An unexpected error occurred"): InternalError =>
  new InternalError({ status, code: wireCode.InternalError, message, details: {} })

/** Any of the API's errors, as the wire body carries it. */
export interface WireErrorLike {
  readonly status: number
  readonly code: string
  readonly message: string
  readonly details: Readonly<Record<string, unknown>>
}

export const isWireError = (u: unknown): u is WireErrorLike =>
  typeof u === "object" &&
  u !== null &&
  "status" in u &&
  typeof u.status === "number" &&
  "code" in u &&
  typeof u.code === "string" &&
  "message" in u &&
  "details" in u

export const wireBody = (error: WireErrorLike) => ({
  code: error.code,
  message: error.message,
  details: error.details
})
