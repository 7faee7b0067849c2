import { SqlClient } from "@effect/sql"
import { Effect, Redacted } from "effect"
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto"
import { text } from "../internal/rows.js"
import { storedTime } from "../internal/time.js"

const keyId = "primary"
const version = "v1"

/**
 * Encrypts secrets the sandbox must use again later (webhook signing secrets) with AES-256-GCM
 * under a random key generated once per database, kept in its own table.
 */
export class Vault extends Effect.Service<Vault>()("@bullseye-partner/sandbox/Store/Vault", {
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const load = sql`SELECT material FROM vault_keys WHERE id = ${keyId}`
    let rows = yield* load
    if (rows.length === 0) {
      const material = randomBytes(32).toString("base64")
      yield* sql`INSERT INTO vault_keys (id, material, created_at) VALUES (${keyId}, ${material}, ${storedTime(new Date())})
        ON CONFLICT (id) DO NOTHING`
      rows = yield* load
    }
    const first = rows[0]
    if (first === undefined) return yield* Effect.dieMessage("The vault key could not be created")
    const key = Buffer.from(text(first, "material"), "base64")

    const encrypt = (secret: Redacted.Redacted<string>): string => {
      const iv = randomBytes(12)
      const cipher = createCipheriv("aes-256-gcm", key, iv)
      const body = Buffer.concat([cipher.update(Redacted.value(secret), "utf8"), cipher.final()])
      return `${version}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64")}`
    }

    const decrypt = (sealed: string): Redacted.Redacted<string> => {
      const raw = Buffer.from(sealed.slice(version.length + 1), "base64")
      const decipher = createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12))
      decipher.setAuthTag(raw.subarray(12, 28))
      return Redacted.make(
        Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8")
      )
    }

    return { encrypt, decrypt }
  })
}) {}
