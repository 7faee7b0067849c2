import { Authentication, type AuthenticatedKey } from "@bullseye-partner/core/Api/Security"
import { Effect, FiberRef, Layer, Option } from "effect"
import { unauthorized } from "../internal/errors.js"

/** The key the gateway authenticated for the current request. */
export const currentPrincipal: FiberRef.FiberRef<Option.Option<AuthenticatedKey["Type"]>> =
  FiberRef.unsafeMake(Option.none())

/**
 * The contract's security middleware. The gateway has already resolved the key (it must know the
 * partner before the handler for the rate limit, faults and scope); this provides its result.
 */
export const AuthenticationLive = Layer.succeed(
  Authentication,
  Authentication.of({
    apiKey: () =>
      Effect.flatMap(
        FiberRef.get(currentPrincipal),
        Option.match({ onNone: () => Effect.fail(unauthorized()), onSome: Effect.succeed })
      )
  })
)
