import { Effect } from "effect"
import { PartnerClient } from "./PartnerClient.js"

/** Billing (section 6; every method needs the `admin` scope). */
export class Billing extends Effect.Service<Billing>()("@bullseye-partner/core/Billing", {
  effect: Effect.gen(function* () {
    const { run } = yield* PartnerClient
    return {
      info: Effect.fn("Billing.info")(() => run("billing", "get", (c) => c.get())),
      usage: Effect.fn("Billing.usage")(() => run("billing", "usage", (c) => c.usage())),
      calculate: Effect.fn("Billing.calculate")((usage: number) =>
        run("billing", "calculate", (c) => c.calculate({ urlParams: { usage } }))
      )
    }
  })
}) {}
