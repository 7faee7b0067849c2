import { Effect, Either, Option } from "effect"
import type { OrganizationListQuery, OrganizationPage, VisitorListQuery } from "./Api/Organizations.js"
import type {
  CreditAllocationRequest,
  Organization,
  OrganizationCreate,
  OrganizationUpdate,
  PixelUpdate,
  Tier
} from "./Domain/Organization.js"
import { outcomeUnknown } from "./Errors.js"
import { paginate } from "./Pagination.js"
import { PartnerClient } from "./PartnerClient.js"

/** How `ensure` obtained the organization. */
export type EnsureOutcome =
  /** this call created it */
  | "created"
  /** it already existed with that externalId */
  | "existed"
  /** a create's outcome was unknown (or its answer unreadable) and a lookup found the organization */
  | "recovered"

/** How `ensureCredits` knows the allocation was set. */
export type CreditsOutcome =
  /** the answer said so */
  | "applied"
  /** the outcome was unknown and a re-read found the requested credits */
  | "recovered"

const asPage = (page: typeof OrganizationPage.Type) => ({ items: page.organizations, total: page.total })

/** Organizations with their credits, pixel and visitors (section 3). */
export class Organizations extends Effect.Service<Organizations>()("@bullseye-partner/core/Organizations", {
  effect: Effect.gen(function* () {
    const { run } = yield* PartnerClient

    const list = Effect.fn("Organizations.list")((query: OrganizationListQuery = {}) =>
      run("organizations", "list", (c) => c.list({ urlParams: query }))
    )
    const create = Effect.fn("Organizations.create")((payload: OrganizationCreate) =>
      run("organizations", "create", (c) => c.create({ payload })).pipe(Effect.map((r) => r.organization))
    )
    const findByExternalId = Effect.fn("Organizations.findByExternalId")((externalId: string) =>
      list({ externalId, pageSize: 100 }).pipe(
        Effect.map((page) => Option.fromNullable(page.organizations.find((o) => o.status !== "canceled")))
      )
    )
    const get = Effect.fn("Organizations.get")((organizationId: string) =>
      run("organizations", "get", (c) => c.get({ path: { organizationId } })).pipe(
        Effect.map((r) => r.organization)
      )
    )
    const allocateCredits = Effect.fn("Organizations.allocateCredits")(
      (organizationId: string, payload: CreditAllocationRequest) =>
        run("organizations", "allocateCredits", (c) =>
          c.allocateCredits({ path: { organizationId }, payload })
        ).pipe(Effect.map((r) => r.allocation))
    )
    const listVisitors = Effect.fn("Organizations.listVisitors")(
      (organizationId: string, query: VisitorListQuery = {}) =>
        run("organizations", "listVisitors", (c) =>
          c.listVisitors({ path: { organizationId }, urlParams: query })
        )
    )

    /**
     * Create-or-return by `externalId`, exactly once: when a create's outcome is unknown (timeout,
     * connection lost after sending, 5xx, an applied create whose answer did not decode) it looks the
     * organization up before deciding, and tries again only when the create provably did not apply.
     */
    const ensure = Effect.fn("Organizations.ensure")(function* (
      payload: OrganizationCreate & { readonly externalId: string },
      options: { readonly maxAttempts?: number } = {}
    ) {
      const existing = yield* findByExternalId(payload.externalId)
      if (Option.isSome(existing))
        return { organization: existing.value, outcome: "existed" as EnsureOutcome }
      const maxAttempts = options.maxAttempts ?? 3
      let attempt = 0
      while (true) {
        attempt++
        const result = yield* Effect.either(create(payload))
        if (Either.isRight(result)) return { organization: result.right, outcome: "created" as EnsureOutcome }
        const error = result.left
        const unknownOutcome = outcomeUnknown(error)
        if (error._tag === "Conflict" || unknownOutcome) {
          const found = yield* findByExternalId(payload.externalId)
          if (Option.isSome(found)) {
            return {
              organization: found.value,
              outcome: (unknownOutcome ? "recovered" : "existed") as EnsureOutcome
            }
          }
        }
        // An applied create that the lookup cannot see is reported, not repeated.
        const applied = error._tag === "ResponseDecodeError" && error.applied
        if (!unknownOutcome || applied || attempt >= maxAttempts) return yield* Effect.fail(error)
      }
    })

    /**
     * Sets the allocation and says whether it took effect, re-reading instead of guessing: when the outcome is
     * unknown (5xx, connection lost, timeout, an applied answer that did not decode) it reads the
     * organization back; holding the requested credits, the change is `recovered`, otherwise it is sent
     * again (a PUT sets, so a repeat is harmless) up to `maxAttempts`.
     */
    const ensureCredits = Effect.fn("Organizations.ensureCredits")(function* (
      organizationId: string,
      payload: CreditAllocationRequest,
      options: { readonly maxAttempts?: number } = {}
    ) {
      const maxAttempts = options.maxAttempts ?? 3
      for (let attempt = 1; ; attempt++) {
        const result = yield* Effect.either(allocateCredits(organizationId, payload))
        if (Either.isRight(result)) {
          return { credits: result.right.creditsAllocated, outcome: "applied" as CreditsOutcome }
        }
        if (!outcomeUnknown(result.left)) return yield* Effect.fail(result.left)
        const organization = yield* get(organizationId)
        if (organization.credits === payload.credits) {
          return { credits: organization.credits, outcome: "recovered" as CreditsOutcome }
        }
        if (attempt >= maxAttempts) return yield* Effect.fail(result.left)
      }
    })

    return {
      list,
      /**
       * Every organization matching the query, newest first, de-duplicated by id. `firstPage`: page 1 of
       * the same query and page size, already fetched with `list` (shown early), not asked for again.
       */
      listAll: (
        query: Omit<OrganizationListQuery, "page" | "pageSize"> = {},
        pageSize?: number,
        firstPage?: typeof OrganizationPage.Type
      ) =>
        paginate<Organization, Effect.Effect.Error<ReturnType<typeof list>>, never>(
          (page, size) => list({ ...query, page, pageSize: size }).pipe(Effect.map(asPage)),
          pageSize,
          firstPage === undefined ? undefined : asPage(firstPage)
        ),
      create,
      ensure,
      findByExternalId,
      get,
      update: Effect.fn("Organizations.update")((organizationId: string, payload: OrganizationUpdate) =>
        run("organizations", "update", (c) => c.update({ path: { organizationId }, payload })).pipe(
          Effect.map((r) => r.organization)
        )
      ),
      /** Soft delete: the organization becomes `canceled` and its unused credits return to the pool. */
      cancel: Effect.fn("Organizations.cancel")((organizationId: string) =>
        run("organizations", "delete", (c) => c.delete({ path: { organizationId } }))
      ),
      setStatus: Effect.fn("Organizations.setStatus")(
        (organizationId: string, status: "active" | "suspended") =>
          run("organizations", "setStatus", (c) =>
            c.setStatus({ path: { organizationId }, payload: { status } })
          ).pipe(Effect.map((r) => r.organization))
      ),
      setTier: Effect.fn("Organizations.setTier")((organizationId: string, tier: Tier) =>
        run("organizations", "setTier", (c) =>
          c.setTier({ path: { organizationId }, payload: { tier } })
        ).pipe(Effect.map((r) => r.organization))
      ),
      /** Sets (does not add to) the allocation; needs the `admin` scope. */
      allocateCredits,
      ensureCredits,
      getPixel: Effect.fn("Organizations.getPixel")((organizationId: string) =>
        run("organizations", "getPixel", (c) => c.getPixel({ path: { organizationId } })).pipe(
          Effect.map((r) => r.pixel)
        )
      ),
      updatePixel: Effect.fn("Organizations.updatePixel")((organizationId: string, payload: PixelUpdate) =>
        run("organizations", "updatePixel", (c) => c.updatePixel({ path: { organizationId }, payload })).pipe(
          Effect.map((r) => r.pixel)
        )
      ),
      listVisitors,
      /** Every visitor of an organization matching the query, newest first. */
      listAllVisitors: (organizationId: string, query: Omit<VisitorListQuery, "page" | "pageSize"> = {}) =>
        paginate((page, pageSize) =>
          listVisitors(organizationId, { ...query, page, pageSize }).pipe(
            Effect.map((r) => ({ items: r.visitors, total: r.total }))
          )
        ),
      getVisitor: Effect.fn("Organizations.getVisitor")((organizationId: string, visitorId: string) =>
        run("organizations", "getVisitor", (c) => c.getVisitor({ path: { organizationId, visitorId } })).pipe(
          Effect.map((r) => r.visitor)
        )
      )
    }
  })
}) {}
