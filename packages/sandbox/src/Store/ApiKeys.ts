import type { ApiKey, Scope } from "@bullseye-partner/core/Domain/ApiKey"
import { SqlClient } from "@effect/sql"
import { Effect, Option, Redacted } from "effect"
import { constantTimeEqual, randomBase62, sha256Hex, uuid } from "../internal/random.js"
import { json, text, textOrNull, type Row } from "../internal/rows.js"
import { storedTime, wireTime, wireTimeOrNull } from "../internal/time.js"

/** Every scope: the scopes of a key created without `scopes`. */
export const allScopes: ReadonlyArray<Scope> = ["read", "write", "admin"]

/** The length of `keyPrefix`: `pk_test_` plus six characters. */
export const keyPrefixLength = 14

/** The principal behind a valid key. */
export interface KeyPrincipal {
  readonly partnerId: string
  readonly keyId: string
  readonly scopes: ReadonlyArray<Scope>
}

const statusOf = (row: Row, now: Date): "active" | "revoked" | "expired" => {
  if (textOrNull(row, "revoked_at") !== null) return "revoked"
  const expiresAt = textOrNull(row, "expires_at")
  return expiresAt !== null && Date.parse(expiresAt) <= now.getTime() ? "expired" : "active"
}

const toApiKey = (row: Row, now: Date): ApiKey => ({
  id: text(row, "id"),
  name: text(row, "name"),
  keyPrefix: text(row, "key_prefix"),
  scopes: json<ReadonlyArray<Scope>>(row, "scopes"),
  status: statusOf(row, now),
  expiresAt: wireTimeOrNull(textOrNull(row, "expires_at")),
  lastUsedAt: wireTimeOrNull(textOrNull(row, "last_used_at")),
  revokedAt: wireTimeOrNull(textOrNull(row, "revoked_at")),
  createdAt: wireTime(text(row, "created_at"))
})

/** API keys: only a SHA-256 hash and the prefix are stored, never the key. */
export class ApiKeys extends Effect.Service<ApiKeys>()("@bullseye-partner/sandbox/Store/ApiKeys", {
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient

    const create = Effect.fn("ApiKeys.create")(function* (
      partnerId: string,
      input: {
        readonly name: string
        readonly scopes?: ReadonlyArray<Scope> | undefined
        readonly expiresAt?: Date | undefined
      },
      now: Date
    ) {
      const plain = `pk_test_${randomBase62(32)}`
      const id = uuid()
      const scopes = input.scopes ?? allScopes
      const row = {
        id,
        partner_id: partnerId,
        name: input.name,
        key_prefix: plain.slice(0, keyPrefixLength),
        key_hash: sha256Hex(plain),
        scopes: JSON.stringify(allScopes.filter((s) => scopes.includes(s))),
        expires_at: input.expiresAt === undefined ? null : storedTime(input.expiresAt),
        last_used_at: null,
        revoked_at: null,
        created_at: storedTime(now)
      }
      yield* sql`INSERT INTO api_keys ${sql.insert(row)}`
      const { lastUsedAt: _lastUsedAt, revokedAt: _revokedAt, ...apiKey } = toApiKey(row, now)
      return { apiKey, plainKey: Redacted.make(plain) }
    })

    const list = Effect.fn("ApiKeys.list")(function* (partnerId: string, now: Date) {
      const rows =
        yield* sql`SELECT * FROM api_keys WHERE partner_id = ${partnerId} ORDER BY created_at DESC, id DESC`
      return rows.map((row) => toApiKey(row, now))
    })

    /** Revokes a key of the partner; false when the partner has no such key. Revoking twice keeps the first time. */
    const revoke = Effect.fn("ApiKeys.revoke")(function* (partnerId: string, keyId: string, now: Date) {
      const rows = yield* sql`SELECT id FROM api_keys WHERE id = ${keyId} AND partner_id = ${partnerId}`
      if (rows.length === 0) return false
      yield* sql`UPDATE api_keys SET revoked_at = ${storedTime(now)} WHERE id = ${keyId} AND revoked_at IS NULL`
      return true
    })

    /**
     * Resolves a presented key without side effects: candidates are found by prefix and the hash is
     * compared in constant time; revoked and expired keys resolve to nothing.
     */
    const authenticate = Effect.fn("ApiKeys.authenticate")(function* (
      presented: Redacted.Redacted<string>,
      now: Date
    ) {
      const key = Redacted.value(presented)
      if (key.length < keyPrefixLength || key.length > 200) return Option.none<KeyPrincipal>()
      const hash = sha256Hex(key)
      const candidates =
        yield* sql`SELECT k.id, k.partner_id, k.key_hash, k.scopes, k.revoked_at, k.expires_at
        FROM api_keys k JOIN partners p ON p.id = k.partner_id
        WHERE k.key_prefix = ${key.slice(0, keyPrefixLength)} AND p.status = 'active'`
      let found: Option.Option<KeyPrincipal> = Option.none()
      for (const row of candidates) {
        if (constantTimeEqual(text(row, "key_hash"), hash) && statusOf(row, now) === "active") {
          found = Option.some({
            partnerId: text(row, "partner_id"),
            keyId: text(row, "id"),
            scopes: json<ReadonlyArray<Scope>>(row, "scopes")
          })
        }
      }
      return found
    })

    const touch = Effect.fn("ApiKeys.touch")(function* (keyId: string, now: Date) {
      yield* sql`UPDATE api_keys SET last_used_at = ${storedTime(now)} WHERE id = ${keyId}`
    })

    return { create, list, revoke, authenticate, touch }
  })
}) {}
