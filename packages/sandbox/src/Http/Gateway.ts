import { ApiKeyHeader } from "@bullseye-partner/core/Api/Security"
import type { Scope } from "@bullseye-partner/core/Domain/ApiKey"
import {
  HttpApiError,
  type HttpApp,
  HttpServerError,
  HttpServerRequest,
  HttpServerResponse
} from "@effect/platform"
import { NodeHttpServerRequest } from "@effect/platform-node"
import { Cause, Clock, Data, Effect, Option, Redacted } from "effect"
import { Faults, type FaultDecision } from "../Faults.js"
import {
  badRequest,
  forbidden,
  internalError,
  isWireError,
  notFound,
  payloadTooLarge,
  rateLimited,
  unauthorized,
  wireBody,
  type Issue,
  type WireErrorLike
} from "../internal/errors.js"
import { SandboxClock } from "../SandboxClock.js"
import { SandboxConfig } from "../SandboxConfig.js"
import { ApiKeys } from "../Store/ApiKeys.js"
import { matchEndpoint, type EndpointMatch } from "./Endpoints.js"
import { currentPrincipal } from "./Principal.js"
import { RateLimiter, type RateWindow } from "./RateLimiter.js"
import { readBody, withBodyText } from "./RequestBody.js"
import { validateRequest } from "./RequestValidation.js"

/** A request the framework refused while decoding (normally caught earlier by the gateway's own validation). */
export class DecodeFailure extends Data.TaggedError("DecodeFailure")<{
  readonly issues: ReadonlyArray<Issue>
}> {}

/** The issues of the framework's own decode error, in the gateway's form. */
export const decodeIssues = (error: HttpApiError.HttpApiDecodeError): ReadonlyArray<Issue> =>
  error.issues.map((i) => ({
    path: i.path.map((p) => (typeof p === "symbol" ? String(p) : p)),
    message: i.message
  }))

const scopeRank: Record<Scope, number> = { read: 0, write: 1, admin: 2 }

/** `write` includes `read`; `admin` includes both. */
export const hasScope = (keyScopes: ReadonlyArray<string>, required: Scope): boolean =>
  keyScopes.some((s) => s in scopeRank && scopeRank[s as Scope] >= scopeRank[required])

const rateHeaders = (window: RateWindow): Record<string, string> => ({
  "x-ratelimit-limit": String(window.limit),
  "x-ratelimit-remaining": String(window.remaining),
  "x-ratelimit-reset": String(window.resetSeconds)
})

const respond = (error: WireErrorLike, headers: Record<string, string> = {}) =>
  HttpServerResponse.unsafeJson(wireBody(error), { status: error.status, headers })

const tooMany = (window: RateWindow, nowMs: number) =>
  respond(rateLimited(window.limit, new Date(window.resetSeconds * 1000)), {
    ...rateHeaders({ ...window, remaining: 0 }),
    "retry-after": String(Math.max(1, Math.ceil(window.resetSeconds - nowMs / 1000)))
  })

/** The wire error for whatever the app failed with; anything unexpected is a 500 without internals. */
export const errorFromCause = (cause: Cause.Cause<unknown>, method: string, path: string): WireErrorLike => {
  const failure = Cause.failureOption(cause)
  if (Option.isSome(failure)) {
    const error = failure.value
    if (isWireError(error)) return error
    if (error instanceof HttpServerError.RouteNotFound) return notFound(`No route ${method} ${path}`)
    if (error instanceof HttpApiError.HttpApiDecodeError) return badRequest(decodeIssues(error))
    return internalError()
  }
  const defect = Cause.dieOption(cause)
  if (Option.isSome(defect)) {
    if (defect.value instanceof DecodeFailure) return badRequest(defect.value.issues)
    if (defect.value instanceof HttpServerError.RequestError) {
      return badRequest([{ path: ["body"], message: "Malformed JSON" }])
    }
  }
  return internalError()
}

const clientAddress = (request: HttpServerRequest.HttpServerRequest): string =>
  Option.getOrElse(request.remoteAddress, () => "unknown").replace(/^::ffff:/, "")

const dropConnection = (request: HttpServerRequest.HttpServerRequest) =>
  Effect.sync(() => NodeHttpServerRequest.toIncomingMessage(request).socket.destroy()).pipe(
    Effect.zipRight(Effect.interrupt)
  )

const isJsonContentType = (value: string | undefined): boolean =>
  value === undefined || /^application\/json\s*(;.*)?$/i.test(value.trim())

/**
 * Everything the Partner API does around a handler, in order: authentication (with the per-IP guard
 * for bad keys), the partner's rate limit, injected faults, routing, scopes, body size and syntax,
 * full validation, then the handler; every refusal is the documented `{code, message, details}`
 * body and every response carries the `X-RateLimit-*` headers.
 */
export const makeGateway = Effect.gen(function* () {
  const keys = yield* ApiKeys
  const limiter = yield* RateLimiter
  const faults = yield* Faults
  const clock = yield* SandboxClock
  const config = yield* SandboxConfig

  return <E, R>(app: HttpApp.Default<E, R>) =>
    Effect.gen(function* () {
      const request = yield* HttpServerRequest.HttpServerRequest
      const url = new URL(request.url, "http://sandbox.invalid")
      const method = request.method
      const now = yield* clock.now
      // Rate-limit windows follow the real clock even after the sandbox clock was moved.
      const nowMs = yield* Clock.currentTimeMillis

      const presented = request.headers[ApiKeyHeader.toLowerCase()]
      const principal =
        presented === undefined || presented === ""
          ? Option.none()
          : yield* keys.authenticate(Redacted.make(presented), now).pipe(Effect.orDie)
      if (Option.isNone(principal)) {
        const window = yield* limiter.consume(`ip:${clientAddress(request)}`, config.unauthenticatedLimit, 60)
        return window.exceeded ? tooMany(window, nowMs) : respond(unauthorized(), rateHeaders(window))
      }
      const key = principal.value
      const partnerBucket = `partner:${key.partnerId}`
      const limit = config.rateLimit
      const windowSeconds = config.rateWindowSeconds
      const before = yield* limiter.peek(partnerBucket, limit, windowSeconds)
      if (before.exceeded) return tooMany(before, nowMs)

      const match = matchEndpoint(method, url.pathname)
      const decision: FaultDecision = Option.isSome(match)
        ? yield* faults.decide(match.value.endpoint.route)
        : { latencyMs: 0, outcome: "none" }
      if (decision.latencyMs > 0) yield* Effect.sleep(decision.latencyMs)
      switch (decision.outcome) {
        case "error500":
          return respond(internalError(500, "Injected fault"), rateHeaders(before))
        case "error503":
          return respond(
            internalError(503, "Service temporarily unavailable (injected fault)"),
            rateHeaders(before)
          )
        case "rateLimited":
          return tooMany(before, nowMs)
        case "reset":
          return yield* dropConnection(request)
      }

      const window = yield* limiter.consume(partnerBucket, limit, windowSeconds)
      if (window.exceeded) return tooMany(window, nowMs)
      yield* keys.touch(key.keyId, now).pipe(Effect.orDie)
      const headers = rateHeaders(window)

      const handled = yield* handle(match, key.scopes, request, url, app).pipe(
        Effect.locally(currentPrincipal, Option.some(key))
      )
      if (decision.outcome === "resetAfterHandler") return yield* dropConnection(request)
      return HttpServerResponse.setHeaders(handled, headers)
    })

  function handle<E, R>(
    match: Option.Option<EndpointMatch>,
    keyScopes: ReadonlyArray<Scope>,
    request: HttpServerRequest.HttpServerRequest,
    url: URL,
    app: HttpApp.Default<E, R>
  ) {
    return Effect.gen(function* () {
      if (Option.isNone(match)) return respond(notFound(`No route ${request.method} ${url.pathname}`))
      const { endpoint, params } = match.value
      if (!hasScope(keyScopes, endpoint.scope)) return respond(forbidden(endpoint.scope, keyScopes))

      const body = yield* readBody(request, config.maxBodyBytes)
      if (body._tag === "TooLarge") return respond(payloadTooLarge(config.maxBodyBytes))
      let forwarded = request
      let payload: unknown = undefined
      if (Option.isSome(endpoint.payloadSchema)) {
        if (body._tag === "Text" && !isJsonContentType(request.headers["content-type"])) {
          return respond(
            badRequest([{ path: ["headers", "content-type"], message: "Expected application/json" }])
          )
        }
        const text = body._tag === "Text" ? body.text : ""
        try {
          payload = text.trim() === "" ? undefined : JSON.parse(text)
        } catch {
          return respond(badRequest([{ path: ["body"], message: "Malformed JSON" }]))
        }
        if (payload === undefined)
          return respond(badRequest([{ path: ["body"], message: "Expected a JSON body" }]))
        forwarded = withBodyText(request, text)
      }
      if (
        endpoint.id === "organizations.create" &&
        typeof payload === "object" &&
        payload !== null &&
        "initialCredits" in payload &&
        typeof payload.initialCredits === "number" &&
        payload.initialCredits > 0 &&
        !hasScope(keyScopes, "admin")
      ) {
        return respond(forbidden("admin", keyScopes))
      }

      const issues = validateRequest(endpoint, {
        params,
        query: HttpServerRequest.searchParamsFromURL(url),
        body: payload
      })
      if (issues.length > 0) return respond(badRequest(issues))

      return yield* app.pipe(
        Effect.provideService(HttpServerRequest.HttpServerRequest, forwarded),
        Effect.catchAllCause((cause) =>
          Effect.gen(function* () {
            const error = errorFromCause(cause, request.method, url.pathname)
            if (error.status >= 500) yield* Effect.logError("Request failed", cause)
            return respond(error)
          })
        )
      )
    })
  }
})
