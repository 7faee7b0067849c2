import { Effect } from "effect"
import { PartnerClient } from "./PartnerClient.js"

/** The partner account (section 1). */
export class PartnerAccount extends Effect.Service<PartnerAccount>()(
  "@bullseye-partner/core/PartnerAccount",
  {
    effect: Effect.gen(function* () {
      const { run } = yield* PartnerClient
      return {
        me: Effect.fn("PartnerAccount.me")(() =>
          run("partner", "me", (c) => c.me()).pipe(Effect.map((r) => r.partner))
        ),
        scriptConfig: Effect.fn("PartnerAccount.scriptConfig")(() =>
          run("partner", "scriptConfig", (c) => c.scriptConfig()).pipe(Effect.map((r) => r.scriptConfig))
        )
      }
    })
  }
) {}
