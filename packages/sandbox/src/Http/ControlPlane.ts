import { HttpRouter, HttpServerError, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Cause, Effect, Either, Option, ParseResult, Redacted, Schema } from "effect"
import { createPartner, resetStore } from "../Bootstrap.js"
import { demoSeed, emptySeed, type SeedOption } from "../SeedOption.js"
import { SimulatedZone } from "../DnsResolver.js"
import { Faults, FaultSpec } from "../Faults.js"
import {
  badRequest,
  internalError,
  isWireError,
  notFound,
  unauthorized,
  wireBody,
  type WireErrorLike
} from "../internal/errors.js"
import { constantTimeEqual } from "../internal/random.js"
import { wireDate } from "../internal/time.js"
import { SandboxClock } from "../SandboxClock.js"
import { Identifications } from "../Simulation/Identifications.js"
import { Billing } from "../Store/Billing.js"
import { Organizations } from "../Store/Organizations.js"
import { Partners } from "../Store/Partners.js"
import { Webhooks } from "../Store/Webhooks.js"
import { ControlToken, ControlTokenHeader } from "./ControlToken.js"
import { RateLimiter } from "./RateLimiter.js"

const Count = (max: number) => Schema.Int.pipe(Schema.between(0, max))
const strict = { parseOptions: { onExcessProperty: "error" } } as const

const SeedField = Schema.optional(Schema.Union(Schema.Literal("demo", "empty"), Schema.Int))
const seedOf = (body: {
  readonly seed?: "demo" | "empty" | number | undefined
  readonly organizations?: number | undefined
  readonly visitorsPerOrg?: number | undefined
}): SeedOption => {
  if (body.seed === "empty") return emptySeed
  return demoSeed({
    ...(typeof body.seed === "number" ? { seed: body.seed } : {}),
    ...(body.organizations === undefined ? {} : { organizations: body.organizations }),
    ...(body.visitorsPerOrg === undefined ? {} : { visitorsPerOrg: body.visitorsPerOrg })
  })
}

const ResetBody = Schema.Struct({
  seed: SeedField,
  organizations: Schema.optional(Count(1000)),
  visitorsPerOrg: Schema.optional(Count(1000))
}).annotations(strict)

const PartnerBody = Schema.Struct({
  name: Schema.optional(Schema.String.pipe(Schema.minLength(1), Schema.maxLength(255))),
  creditPoolTotal: Schema.optional(Count(1_000_000_000)),
  maxOrganizations: Schema.optional(Count(1_000_000)),
  maxIdentificationsPerOrg: Schema.optional(Count(1_000_000_000)),
  seed: SeedField,
  organizations: Schema.optional(Count(1000)),
  visitorsPerOrg: Schema.optional(Count(1000))
}).annotations(strict)

const IdentificationsBody = Schema.Struct({
  partnerId: Schema.optional(Schema.String.pipe(Schema.minLength(1))),
  organizationId: Schema.optional(Schema.String.pipe(Schema.minLength(1))),
  count: Schema.Int.pipe(Schema.between(1, 10_000))
}).annotations(strict)

const DnsBody = Schema.Struct({
  records: Schema.Array(
    Schema.Struct({
      type: Schema.Literal("CNAME", "TXT"),
      name: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(253)),
      value: Schema.String.pipe(Schema.maxLength(4096))
    }).annotations(strict)
  ).pipe(Schema.maxItems(1000))
}).annotations(strict)

const ClockBody = Schema.Struct({
  days: Schema.Number.pipe(Schema.greaterThan(0), Schema.lessThanOrEqualTo(3660))
}).annotations(strict)

const failWith = (error: WireErrorLike) => Effect.fail(error)

const json = (body: unknown, status = 200) => HttpServerResponse.unsafeJson(body, { status })

const decodeBody = <A, I>(schema: Schema.Schema<A, I>) =>
  Effect.gen(function* () {
    const request = yield* HttpServerRequest.HttpServerRequest
    const text = yield* Effect.orElseSucceed(request.text, () => "")
    let value: unknown
    try {
      value = text.trim() === "" ? {} : JSON.parse(text)
    } catch {
      return yield* failWith(badRequest([{ path: ["body"], message: "Malformed JSON" }]))
    }
    const decoded = Schema.decodeUnknownEither(schema, { errors: "all" })(value)
    if (Either.isRight(decoded)) return decoded.right
    return yield* failWith(
      badRequest(
        ParseResult.ArrayFormatter.formatErrorSync(decoded.left).map((i) => ({
          path: ["body", ...i.path.filter((p): p is string | number => typeof p !== "symbol")],
          message: i.message
        }))
      )
    )
  })

/** The partner a control request is about: the given one, else the oldest (the bootstrap partner). */
const partnerOf = (partnerId: string | undefined) =>
  Effect.gen(function* () {
    const partners = yield* Partners
    if (partnerId !== undefined) {
      if (Option.isNone(yield* partners.find(partnerId)))
        return yield* failWith(notFound(`Partner ${partnerId} not found`))
      return partnerId
    }
    const first = (yield* partners.ids)[0]
    if (first === undefined) return yield* failWith(notFound("The store has no partner"))
    return first
  })

const bootstrapped = (result: { readonly partnerId: string; readonly apiKey: Redacted.Redacted<string> }) =>
  json({ partnerId: result.partnerId, apiKey: Redacted.value(result.apiKey) }, 201)

const routes = HttpRouter.empty.pipe(
  HttpRouter.post(
    "/reset",
    Effect.gen(function* () {
      const body = yield* decodeBody(ResetBody)
      const limiter = yield* RateLimiter
      const faults = yield* Faults
      const zone = yield* SimulatedZone
      const result = yield* resetStore(seedOf(body))
      yield* limiter.reset
      yield* faults.clear
      yield* zone.set([])
      return bootstrapped(result)
    })
  ),
  HttpRouter.post(
    "/partners",
    Effect.gen(function* () {
      const body = yield* decodeBody(PartnerBody)
      const result = yield* createPartner(
        {
          name: body.name ?? "Sandbox Partner",
          creditPoolTotal: body.creditPoolTotal,
          maxOrganizations: body.maxOrganizations,
          maxIdentificationsPerOrg: body.maxIdentificationsPerOrg
        },
        body.seed === undefined ? emptySeed : seedOf(body)
      )
      return bootstrapped(result)
    })
  ),
  HttpRouter.post(
    "/identifications",
    Effect.gen(function* () {
      const body = yield* decodeBody(IdentificationsBody)
      const simulator = yield* Identifications
      const organizations = yield* Organizations
      const owner =
        body.partnerId === undefined && body.organizationId !== undefined
          ? Option.getOrUndefined(yield* organizations.ownerOf(body.organizationId))
          : body.partnerId
      const partnerId = yield* partnerOf(owner)
      return json(
        yield* simulator.simulate({ partnerId, organizationId: body.organizationId, count: body.count })
      )
    })
  ),
  HttpRouter.get(
    "/faults",
    Effect.map(Faults, (f) => f.current).pipe(
      Effect.flatten,
      Effect.map((current) => json({ faults: Option.getOrNull(current) }))
    )
  ),
  HttpRouter.put(
    "/faults",
    Effect.gen(function* () {
      const spec = yield* decodeBody(FaultSpec)
      yield* Effect.flatMap(Faults, (f) => f.set(spec))
      return json({ faults: spec })
    })
  ),
  HttpRouter.del(
    "/faults",
    Effect.as(
      Effect.flatMap(Faults, (f) => f.clear),
      HttpServerResponse.empty({ status: 204 })
    )
  ),
  HttpRouter.put(
    "/dns",
    Effect.gen(function* () {
      const body = yield* decodeBody(DnsBody)
      yield* Effect.flatMap(SimulatedZone, (zone) => zone.set(body.records))
      return json({ records: body.records })
    })
  ),
  HttpRouter.get(
    "/clock",
    Effect.map(
      Effect.flatMap(SandboxClock, (c) => c.now),
      (now) => json({ now: wireDate(now) })
    )
  ),
  HttpRouter.post(
    "/clock",
    Effect.gen(function* () {
      const body = yield* decodeBody(ClockBody)
      const clock = yield* SandboxClock
      const billing = yield* Billing
      const partners = yield* Partners
      const now = yield* clock.advance(Math.round(body.days * 86_400_000))
      const closedPeriods = []
      for (const partnerId of yield* partners.ids) {
        for (const period of yield* billing.closeDue(partnerId, now))
          closedPeriods.push({ partnerId, ...period })
      }
      return json({ now: wireDate(now), closedPeriods })
    })
  ),
  HttpRouter.get(
    "/billing-periods",
    Effect.gen(function* () {
      const request = yield* HttpServerRequest.HttpServerRequest
      const query = new URL(request.url, "http://sandbox.invalid").searchParams.get("partnerId") ?? undefined
      const partnerId = yield* partnerOf(query)
      const billing = yield* Billing
      return json({ partnerId, periods: yield* billing.closedPeriods(partnerId) })
    })
  ),
  HttpRouter.get(
    "/deliveries/:deliveryId/attempts",
    Effect.gen(function* () {
      const params = yield* HttpRouter.params
      const webhooks = yield* Webhooks
      const deliveryId = params["deliveryId"] ?? ""
      const delivery = yield* webhooks.delivery(deliveryId)
      if (Option.isNone(delivery)) return yield* failWith(notFound(`Delivery ${deliveryId} not found`))
      return json({ delivery: delivery.value, attempts: yield* webhooks.attempts(deliveryId) })
    })
  )
)

/**
 * The control plane under `/_sandbox`: reset, extra partners, simulated identifications, faults,
 * DNS zone and clock. Authenticated by `X-Sandbox-Token`; refusals use the API's error body.
 */
export const controlPlane = Effect.gen(function* () {
  const request = yield* HttpServerRequest.HttpServerRequest
  const expected = yield* ControlToken
  const presented = request.headers[ControlTokenHeader.toLowerCase()] ?? ""
  if (!constantTimeEqual(presented, Redacted.value(expected))) {
    return json(wireBody(unauthorized("Invalid or missing sandbox token")), 401)
  }
  return yield* routes.pipe(
    Effect.catchAllCause((cause) => {
      const failure = Cause.failureOption(cause)
      if (Option.isSome(failure) && isWireError(failure.value)) {
        return Effect.succeed(json(wireBody(failure.value), failure.value.status))
      }
      if (Option.isSome(failure) && failure.value instanceof HttpServerError.RouteNotFound) {
        return Effect.succeed(
          json(wireBody(notFound(`No route ${request.method} /_sandbox${request.url}`)), 404)
        )
      }
      return Effect.as(
        Effect.logError("Control plane request failed", cause),
        json(wireBody(internalError()), 500)
      )
    })
  )
})
