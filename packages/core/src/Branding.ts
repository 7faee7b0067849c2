import { Effect } from "effect"
import type { BrandingUpdate } from "./Domain/Partner.js"
import { PartnerClient } from "./PartnerClient.js"

/** Branding (section 7). */
export class Branding extends Effect.Service<Branding>()("@bullseye-partner/core/Branding", {
  effect: Effect.gen(function* () {
    const { run } = yield* PartnerClient
    return {
      update: Effect.fn("Branding.update")((payload: BrandingUpdate) =>
        run("branding", "update", (c) => c.update({ payload })).pipe(Effect.map((r) => r.partner))
      )
    }
  })
}) {}
