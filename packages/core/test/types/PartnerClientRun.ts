// Checked by `tsc` (the package's typecheck), never run: a group and an endpoint that do not belong together,
// or a call to another endpoint than the one named, must not compile.
import { Effect } from "effect"
import { PartnerClient } from "../../src/PartnerClient.js"

export const runIsTypedOnTheEndpointName = Effect.gen(function* () {
  const { run } = yield* PartnerClient
  // @ts-expect-error "nope" is no endpoint of organizations
  yield* run("organizations", "nope", (c) => c.list({ urlParams: {} }))
  // @ts-expect-error the function sees only the endpoint named: list, not create
  yield* run("organizations", "list", (c) => c.create({ payload: { name: "Acme" } }))
  // @ts-expect-error apiKeys has no endpoint allocateCredits
  yield* run("apiKeys", "allocateCredits", (c) => c.list())
  return yield* run("organizations", "list", (c) => c.list({ urlParams: {} }))
})
