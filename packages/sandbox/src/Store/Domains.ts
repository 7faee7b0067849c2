import type { DomainSetup } from "@bullseye-partner/core/Domain/DomainSetup"
import { SqlClient } from "@effect/sql"
import { Effect, Option } from "effect"
import { randomHex } from "../internal/random.js"
import { flag, text, textOrNull, type Row } from "../internal/rows.js"
import { storedTime, wireTimeOrNull } from "../internal/time.js"

/** The host every custom script domain must CNAME to. */
export const cnameTarget = "track.bullseye.so"

/** The name of the TXT record that proves ownership of `domain`. */
export const txtRecordName = (domain: string): string => `_bullseye-verify.${domain}`

const toSetup = (row: Row): DomainSetup => {
  const domain = text(row, "domain")
  const record = text(row, "verification_record")
  return {
    domain,
    verified: flag(row, "verified"),
    verificationRecord: record,
    cnameTarget,
    dnsRecords: [
      { type: "CNAME", name: domain, value: cnameTarget },
      { type: "TXT", name: txtRecordName(domain), value: record }
    ],
    instructions: `Add a CNAME record pointing ${domain} to ${cnameTarget} and a TXT record ${txtRecordName(domain)} with the value ${record}, then call POST /partner/domain/verify.`,
    verifiedAt: wireTimeOrNull(textOrNull(row, "verified_at"))
  }
}

/** The partner's custom script domain and its verification state. */
export class Domains extends Effect.Service<Domains>()("@bullseye-partner/sandbox/Store/Domains", {
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient

    const find = Effect.fn("Domains.find")(function* (partnerId: string) {
      const rows = yield* sql`SELECT * FROM domains WHERE partner_id = ${partnerId}`
      return Option.map(Option.fromNullable(rows[0]), toSetup)
    })

    /** Sets the domain; a different domain than before resets verification and issues a new record. */
    const set = Effect.fn("Domains.set")(function* (partnerId: string, domain: string, now: Date) {
      const current = yield* find(partnerId)
      if (Option.isSome(current) && current.value.domain === domain) return current.value
      const at = storedTime(now)
      const record = `bullseye-verify=${randomHex(16)}`
      yield* sql`INSERT INTO domains (partner_id, domain, verification_record, verified, verified_at, updated_at)
        VALUES (${partnerId}, ${domain}, ${record}, 0, NULL, ${at})
        ON CONFLICT (partner_id) DO UPDATE SET domain = ${domain}, verification_record = ${record},
          verified = 0, verified_at = NULL, updated_at = ${at}`
      const stored = yield* find(partnerId)
      return yield* Option.match(stored, {
        onNone: () => Effect.dieMessage("The domain was not stored"),
        onSome: Effect.succeed
      })
    })

    const markVerified = Effect.fn("Domains.markVerified")(function* (partnerId: string, now: Date) {
      const at = storedTime(now)
      yield* sql`UPDATE domains SET verified = 1, verified_at = ${at}, updated_at = ${at} WHERE partner_id = ${partnerId}`
    })

    return { find, set, markVerified }
  })
}) {}
