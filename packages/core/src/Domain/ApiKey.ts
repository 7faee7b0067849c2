import { Schema } from "effect"
import { DateTimeString, Id, OpenEnum, Timestamp } from "./Common.js"

/** An API key scope. */
export const Scope = Schema.Literal("read", "write", "admin")
export type Scope = typeof Scope.Type

/** An API key's status. */
export const ApiKeyStatus = OpenEnum("ApiKeyStatus", ["active", "revoked", "expired"])

/** An API key as listed (never the key itself). */
export const ApiKey = Schema.Struct({
  id: Id,
  name: Schema.String,
  keyPrefix: Schema.String,
  scopes: Schema.Array(OpenEnum("ScopeName", ["read", "write", "admin"])),
  status: ApiKeyStatus,
  expiresAt: Schema.NullOr(Timestamp),
  lastUsedAt: Schema.optional(Schema.NullOr(Timestamp)),
  revokedAt: Schema.optional(Schema.NullOr(Timestamp)),
  createdAt: Timestamp
}).annotations({ identifier: "ApiKey" })
export type ApiKey = typeof ApiKey.Type

/** The body of `POST /partner/api-keys`. */
export const ApiKeyCreate = Schema.Struct({
  name: Schema.String.pipe(Schema.minLength(1), Schema.maxLength(100)),
  scopes: Schema.optional(
    Schema.NonEmptyArray(Scope).pipe(
      Schema.filter((s) => new Set(s).size === s.length || "Expected scopes without duplicates")
    )
  ),
  expiresAt: Schema.optional(DateTimeString)
}).annotations({ identifier: "ApiKeyCreate", parseOptions: { onExcessProperty: "error" } })
export type ApiKeyCreate = typeof ApiKeyCreate.Type

/** The answer to a key creation: the only time the plain key is shown. */
export const ApiKeyCreated = Schema.Struct({
  apiKey: ApiKey,
  plainKey: Schema.Redacted(Schema.String)
}).annotations({ identifier: "ApiKeyCreated" })
export type ApiKeyCreated = typeof ApiKeyCreated.Type
