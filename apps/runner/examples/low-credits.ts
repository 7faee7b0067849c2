// Lists (as NDJSON on stdout) every active organization that has used 90% or more of its allocation.
//   bullseye-run exec examples/low-credits.ts > low.ndjson
import { Organizations } from "@bullseye-partner/core/Organizations"
import { Console, Effect, Stream } from "effect"

export default Effect.gen(function* () {
  const organizations = yield* Organizations
  yield* organizations.listAll({ status: "active" }).pipe(
    Stream.filter((org) => org.credits > 0 && (org.creditsAvailable ?? org.credits) <= org.credits * 0.1),
    Stream.runForEach((org) =>
      Console.log(
        JSON.stringify({
          id: org.id,
          name: org.name,
          externalId: org.externalId,
          credits: org.credits,
          available: org.creditsAvailable
        })
      )
    )
  )
})
