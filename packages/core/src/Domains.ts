import { Effect } from "effect"
import { PartnerClient } from "./PartnerClient.js"

/** The custom script domain (section 8). */
export class Domains extends Effect.Service<Domains>()("@bullseye-partner/core/Domains", {
  effect: Effect.gen(function* () {
    const { run } = yield* PartnerClient
    return {
      set: Effect.fn("Domains.set")((domain: string) =>
        run("domains", "set", (c) => c.set({ payload: { domain } }))
      ),
      verification: Effect.fn("Domains.verification")(() =>
        run("domains", "verification", (c) => c.verification())
      ),
      /** Fails with UnprocessableEntity whose `details.records` holds the per-record result. */
      verify: Effect.fn("Domains.verify")(() => run("domains", "verify", (c) => c.verify()))
    }
  })
}) {}
