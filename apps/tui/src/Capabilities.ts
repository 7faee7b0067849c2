import { ApiKeys } from "@bullseye-partner/core/ApiKeys"
import { Effect, Either } from "effect"
import type { Capabilities } from "./Keybindings.js"
import { Session } from "./Session.js"

const fromScopes = (scopes: ReadonlyArray<string>): Capabilities => {
  const admin = scopes.includes("admin")
  const write = admin || scopes.includes("write")
  return {
    write,
    admin,
    reason:
      write && admin
        ? undefined
        : `this key has the ${scopes.join(", ") || "no"} scope${scopes.length > 1 ? "s" : ""}`
  }
}

/**
 * What the key in use may do: its own entry in the key list, or (without the admin scope) the
 * `keyScopes` the API reports in the 403; `--read-only` turns every write off.
 */
export const loadCapabilities = Effect.gen(function* () {
  const session = yield* Session
  const keys = yield* ApiKeys
  const listed = yield* Effect.either(keys.list())
  let capabilities: Capabilities = { write: true, admin: true, reason: undefined }
  if (Either.isRight(listed)) {
    const own = listed.right.find((k) => k.keyPrefix === session.keyPrefix && k.status === "active")
    if (own !== undefined) capabilities = fromScopes(own.scopes)
  } else if (listed.left._tag === "Forbidden") {
    const scopes = listed.left.details["keyScopes"]
    capabilities = Array.isArray(scopes)
      ? fromScopes(scopes.filter((s): s is string => typeof s === "string"))
      : { write: true, admin: false, reason: "this key lacks the admin scope" }
  }
  return session.readOnly ? { write: false, admin: false, reason: "--read-only" } : capabilities
})
