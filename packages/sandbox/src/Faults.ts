import { Effect, Option, Ref, Schema } from "effect"
import { Prng } from "./internal/Prng.js"

const Rate = Schema.Number.pipe(Schema.between(0, 1))
const Millis = Schema.Int.pipe(Schema.between(0, 60_000))

/** A fault-injection setting (`PUT /_sandbox/faults`, `--faults`). */
export const FaultSpec = Schema.Struct({
  seed: Schema.optional(Schema.Int),
  rate500: Schema.optional(Rate),
  rate503: Schema.optional(Rate),
  rate429: Schema.optional(Rate),
  rateReset: Schema.optional(Rate),
  afterHandler: Schema.optional(Schema.Boolean),
  latencyMs: Schema.optional(
    Schema.Struct({ min: Millis, max: Millis }).pipe(
      Schema.filter((l) => l.min <= l.max || "latencyMs.min must not exceed latencyMs.max")
    )
  ),
  routes: Schema.optional(Schema.Array(Schema.String.pipe(Schema.minLength(1), Schema.maxLength(300))))
}).pipe(
  Schema.filter(
    (s) =>
      (s.rate500 ?? 0) + (s.rate503 ?? 0) + (s.rate429 ?? 0) + (s.rateReset ?? 0) <= 1 ||
      "The fault rates must add up to at most 1"
  ),
  Schema.annotations({ identifier: "FaultSpec", parseOptions: { onExcessProperty: "error" } })
)
export type FaultSpec = typeof FaultSpec.Type

/** `GET /partner/organizations/{organizationId}` and `GET /partner/organizations/:organizationId` name the same route. */
export const normalizeRoute = (route: string): string =>
  route
    .trim()
    .replace(/:(\w+)/g, "{$1}")
    .replace(/\s+/, " ")

/** What happens to one request. */
export interface FaultDecision {
  readonly latencyMs: number
  readonly outcome: "none" | "error500" | "error503" | "rateLimited" | "reset" | "resetAfterHandler"
}

const none: FaultDecision = { latencyMs: 0, outcome: "none" }

/** Seeded, probabilistic fault injection applied by the gateway before (or after) the handler. */
export class Faults extends Effect.Service<Faults>()("@bullseye-partner/sandbox/Faults", {
  effect: Effect.gen(function* () {
    const current = yield* Ref.make(Option.none<{ readonly spec: FaultSpec; readonly prng: Prng }>())
    return {
      set: (spec: FaultSpec) => Ref.set(current, Option.some({ spec, prng: new Prng(spec.seed ?? 1) })),
      clear: Ref.set(current, Option.none()),
      current: Effect.map(
        Ref.get(current),
        Option.map((c) => c.spec)
      ),
      /** Draws the fate of a request to `route` (`GET /partner/organizations/{organizationId}`). */
      decide: (route: string) =>
        Effect.map(Ref.get(current), (active): FaultDecision => {
          if (Option.isNone(active)) return none
          const { spec, prng } = active.value
          if (spec.routes !== undefined && !spec.routes.some((r) => normalizeRoute(r) === route)) return none
          const latencyMs =
            spec.latencyMs === undefined ? 0 : prng.int(spec.latencyMs.min, spec.latencyMs.max)
          const roll = prng.next()
          let threshold = 0
          const bands: ReadonlyArray<[number | undefined, FaultDecision["outcome"]]> = [
            [spec.rate500, "error500"],
            [spec.rate503, "error503"],
            [spec.rate429, "rateLimited"],
            [spec.rateReset, spec.afterHandler === true ? "resetAfterHandler" : "reset"]
          ]
          for (const [rate, outcome] of bands) {
            threshold += rate ?? 0
            if (roll < threshold) return { latencyMs, outcome }
          }
          return { latencyMs, outcome: "none" }
        })
    }
  })
}) {}
