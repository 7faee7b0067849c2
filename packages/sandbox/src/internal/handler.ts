import { AuthenticatedKey } from "@bullseye-partner/core/Api/Security"
import { SqlError } from "@effect/sql/SqlError"
import { Effect } from "effect"
import { SandboxClock } from "../SandboxClock.js"

/** A storage failure is a defect of the sandbox: the client gets the 500 body, never the SQL. */
export const orDieOnSql = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.catchIf(
    effect,
    (e): e is Extract<E, SqlError> => e instanceof SqlError,
    (e) => Effect.die(e)
  )

/** The partner of the request and the sandbox's now. */
export const requestContext = Effect.gen(function* () {
  const key = yield* AuthenticatedKey
  const clock = yield* SandboxClock
  return { partnerId: key.partnerId, keyId: key.keyId, now: yield* clock.now }
})
