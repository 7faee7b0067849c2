import { SqlClient } from "@effect/sql"
import { Effect, Option, type Redacted } from "effect"
import { SandboxClock } from "./SandboxClock.js"
import type { SeedOption } from "./SeedOption.js"
import { seedDemo } from "./Simulation/DemoSeed.js"
import { ApiKeys } from "./Store/ApiKeys.js"
import { wipe } from "./Store/Database.js"
import { Partners } from "./Store/Partners.js"

/** A partner account created by the sandbox and its first (full-access) key. */
export interface Bootstrapped {
  readonly partnerId: string
  readonly apiKey: Redacted.Redacted<string>
}

/** The limits of a partner created without explicit ones. */
export const partnerDefaults = {
  creditPoolTotal: 100_000,
  maxOrganizations: 10_000,
  maxIdentificationsPerOrg: 50_000
}

/** Creates a partner with its pool and a full-access key, and seeds it. */
export const createPartner = Effect.fn("Bootstrap.createPartner")(function* (
  input: {
    readonly name: string
    readonly creditPoolTotal?: number | undefined
    readonly maxOrganizations?: number | undefined
    readonly maxIdentificationsPerOrg?: number | undefined
  },
  seed: SeedOption
) {
  const sql = yield* SqlClient.SqlClient
  const partners = yield* Partners
  const keys = yield* ApiKeys
  const clock = yield* SandboxClock
  const now = yield* clock.now
  return yield* sql.withTransaction(
    Effect.gen(function* () {
      const partnerId = yield* partners.create(
        {
          name: input.name,
          creditPoolTotal: input.creditPoolTotal ?? partnerDefaults.creditPoolTotal,
          maxOrganizations: input.maxOrganizations ?? partnerDefaults.maxOrganizations,
          maxIdentificationsPerOrg: input.maxIdentificationsPerOrg ?? partnerDefaults.maxIdentificationsPerOrg
        },
        now
      )
      const created = yield* keys.create(partnerId, { name: "Bootstrap key" }, now)
      if (seed._tag === "Demo") yield* seedDemo(partnerId, seed, now)
      return { partnerId, apiKey: created.plainKey } satisfies Bootstrapped
    })
  )
})

/** "Demo Partner" with its key: what a first start and a reset create. */
export const bootstrap = (seed: SeedOption) => createPartner({ name: "Demo Partner" }, seed)

/** Bootstraps only when the store has no partner yet (a first start); the key is returned once. */
export const bootstrapIfEmpty = Effect.fn("Bootstrap.bootstrapIfEmpty")(function* (seed: SeedOption) {
  const partners = yield* Partners
  if ((yield* partners.ids).length > 0) return Option.none<Bootstrapped>()
  return Option.some(yield* bootstrap(seed))
})

/**
 * A new full-access key for the first partner of an existing store (the bootstrap key is shown only
 * at the first start; `--new-key` is the way back in). None when the store has no partner yet.
 */
export const issueKey = Effect.fn("Bootstrap.issueKey")(function* (name: string) {
  const partners = yield* Partners
  const keys = yield* ApiKeys
  const clock = yield* SandboxClock
  const [partnerId] = yield* partners.ids
  if (partnerId === undefined) return Option.none<Bootstrapped>()
  const created = yield* keys.create(partnerId, { name }, yield* clock.now)
  return Option.some<Bootstrapped>({ partnerId, apiKey: created.plainKey })
})

/** Wipes every partner and its data, rewinds the clock, and bootstraps again. */
export const resetStore = Effect.fn("Bootstrap.resetStore")(function* (seed: SeedOption) {
  const clock = yield* SandboxClock
  yield* wipe
  yield* clock.reset
  return yield* bootstrap(seed)
})
