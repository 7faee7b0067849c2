import { evaluate } from "@bullseye-partner/core/IcpEvaluator"
import { SqlClient } from "@effect/sql"
import { Effect, Option } from "effect"
import { Prng } from "../internal/Prng.js"
import { SandboxClock } from "../SandboxClock.js"
import { Billing } from "../Store/Billing.js"
import { IcpConfigs } from "../Store/IcpConfigs.js"
import { Organizations } from "../Store/Organizations.js"
import { Outbox } from "../Store/Outbox.js"
import { Partners, slugify } from "../Store/Partners.js"
import { draftToDetail, Visitors, type VisitorDraft } from "../Store/Visitors.js"
import { identificationEvent } from "../Webhooks/Payloads.js"
import { fakePerson, fakeSessions } from "./FakeVisitors.js"

/** Why an organization identified nobody. */
export type SkipReason =
  | "organization_not_found"
  | "organization_suspended"
  | "organization_canceled"
  | "pixel_disabled"
  | "out_of_credits"
  | "identification_cap"

/** The outcome of a simulation run. */
export interface SimulationResult {
  readonly requested: number
  readonly identified: number
  readonly visitorIds: ReadonlyArray<string>
  readonly organizations: ReadonlyArray<{
    readonly organizationId: string
    readonly identified: number
    readonly stoppedBecause: SkipReason | null
  }>
}

/** Builds a visitor of an organization with its ICP fields evaluated against the organization's configs. */
export const makeVisitor = (input: {
  readonly prng: Prng
  readonly partnerId: string
  readonly organizationId: string
  readonly organizationName: string
  readonly allowedDomains: ReadonlyArray<string>
  readonly b2b: boolean
  readonly identifiedAt: Date
  readonly configs: Parameters<typeof evaluate>[0]
  readonly now: Date
}): VisitorDraft => {
  const domain =
    input.allowedDomains.find((d) => !d.startsWith("*.")) ?? `${slugify(input.organizationName)}.example.com`
  const sessions = fakeSessions(input.prng, `https://${domain}`, input.identifiedAt)
  const base: VisitorDraft = {
    id: input.prng.uuid(),
    partnerId: input.partnerId,
    organizationId: input.organizationId,
    identifiedAt: input.identifiedAt,
    lastSeenAt: input.identifiedAt,
    ...fakePerson(input.prng, input.b2b),
    icpMatch: false,
    icpScore: null,
    matchedIcpConfigId: null,
    sessions
  }
  return { ...base, ...evaluate(input.configs, draftToDetail(base), input.now) }
}

/**
 * Simulated identifications: each one creates a visitor with sessions, scores it against the
 * organization's active ICP configs, spends one credit and emits `visitor.identified`, in one transaction.
 */
export class Identifications extends Effect.Service<Identifications>()(
  "@bullseye-partner/sandbox/Simulation/Identifications",
  {
    effect: Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const partners = yield* Partners
      const organizations = yield* Organizations
      const visitors = yield* Visitors
      const configs = yield* IcpConfigs
      const outbox = yield* Outbox
      const billing = yield* Billing
      const clock = yield* SandboxClock
      const prng = new Prng(Date.now() % 2 ** 31)

      const identifyOne = (partnerId: string, organizationId: string) =>
        sql.withTransaction(
          Effect.gen(function* () {
            const now = yield* clock.now
            yield* partners.lock(partnerId)
            const partner = yield* partners.get(partnerId)
            const skip = (reason: SkipReason) => ({ _tag: "Skipped" as const, reason })
            const found = yield* organizations.find(partnerId, organizationId)
            if (Option.isNone(found)) return skip("organization_not_found")
            const org = found.value
            if (org.status === "suspended") return skip("organization_suspended")
            if (org.status === "canceled") return skip("organization_canceled")
            const pixel = yield* organizations.pixelSettings(organizationId)
            if (!pixel.enabled) return skip("pixel_disabled")
            if (org.credits - org.creditsUsed <= 0) return skip("out_of_credits")
            const thisPeriod = yield* visitors.countSince(organizationId, partner.billingPeriodStart)
            if (thisPeriod >= partner.maxIdentificationsPerOrg) return skip("identification_cap")
            const draft = makeVisitor({
              prng,
              partnerId,
              organizationId,
              organizationName: org.name,
              allowedDomains: pixel.allowedDomains,
              b2b: org.productType !== "B2C",
              identifiedAt: now,
              configs: yield* configs.list(organizationId),
              now
            })
            const detail = yield* visitors.insert(draft)
            yield* organizations.spendCredit(partnerId, organizationId, now)
            yield* organizations.touchPixel(organizationId, now)
            const session = detail.sessions[0]
            if (session !== undefined) {
              yield* outbox.emit({
                partnerId,
                type: "identification",
                event: "visitor.identified",
                organizationId,
                payload: identificationEvent(detail, session, now),
                now
              })
            }
            return { _tag: "Identified" as const, visitorId: detail.id }
          })
        )

      const simulate = Effect.fn("Identifications.simulate")(function* (input: {
        readonly partnerId: string
        readonly organizationId?: string | undefined
        readonly count: number
      }) {
        yield* billing.closeDue(input.partnerId, yield* clock.now)
        const targets =
          input.organizationId === undefined
            ? yield* organizations.ids(input.partnerId)
            : [input.organizationId]
        const tally = new Map(
          targets.map((id) => [id, { identified: 0, stoppedBecause: null as SkipReason | null }])
        )
        const visitorIds: Array<string> = []
        let open = [...targets]
        for (let i = 0; i < input.count && open.length > 0;) {
          const next: Array<string> = []
          for (const organizationId of open) {
            if (i >= input.count) {
              next.push(organizationId)
              continue
            }
            const outcome = yield* identifyOne(input.partnerId, organizationId)
            const entry = tally.get(organizationId)
            if (entry === undefined) continue
            if (outcome._tag === "Identified") {
              entry.identified++
              visitorIds.push(outcome.visitorId)
              next.push(organizationId)
              i++
            } else {
              entry.stoppedBecause = outcome.reason
            }
          }
          open = next
        }
        return {
          requested: input.count,
          identified: visitorIds.length,
          visitorIds,
          organizations: [...tally.entries()].map(([organizationId, t]) => ({ organizationId, ...t }))
        } satisfies SimulationResult
      })

      return { simulate }
    })
  }
) {}
