// Tops up every active paid organization to at least 1,000 credits. Journaled under the run name, so running it
// again after an interruption only touches the organizations it has not finished.
//   bullseye-run exec examples/top-up-paid.ts
import { Organizations } from "@bullseye-partner/core/Organizations"
import { Console, Effect } from "effect"
import { forEachOrganization } from "../src/ForEachOrganization.js"

const floor = 1000

export default Effect.gen(function* () {
  const organizations = yield* Organizations
  const summary = yield* forEachOrganization(
    { run: "top-up-paid-to-1000", select: { status: ["active"], tier: ["paid"] }, concurrency: 8 },
    (org) =>
      org.credits >= floor
        ? Effect.void
        : organizations.allocateCredits(org.id, { credits: floor, notes: "Top-up to 1000" })
  )
  yield* Console.error(
    `${summary.done} topped up or already there, ${summary.skipped} done before, ${summary.failed.length} failed`
  )
  for (const failure of summary.failed)
    yield* Console.error(`  ${failure.organizationId}: ${failure.code} ${failure.message}`)
})
