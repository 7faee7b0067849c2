import { describe, expect, it } from "@effect/vitest"
import { SqlClient } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import { Effect, Redacted } from "effect"
import { randomBytes } from "node:crypto"
import { make } from "../src/SandboxTest.js"
import type { DatabaseLocation } from "../src/Store/DatabaseLocation.js"
import { client } from "./support/Client.js"
import { postgresUrl } from "./support/Databases.js"
import { field } from "./support/Http.js"

const schemaExists = (schema: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql`SELECT 1 FROM information_schema.schemata WHERE schema_name = ${schema}`
    return rows.length > 0
  }).pipe(Effect.provide(PgClient.layer({ url: Redacted.make(postgresUrl) })), Effect.orDie)

const locations: ReadonlyArray<readonly [string, () => DatabaseLocation]> = [
  ["in-memory SQLite", () => ({ _tag: "Sqlite", filename: ":memory:" })],
  [
    "a PostgreSQL schema",
    () => ({
      _tag: "Postgres",
      url: Redacted.make(postgresUrl),
      schema: `sandbox_test_${randomBytes(6).toString("hex")}`
    })
  ]
]

describe("SandboxTest", () => {
  for (const [name, location] of locations) {
    it.live(
      `runs on ${name}: 50 concurrent allocations over HTTP against a pool for 10 leave it at zero`,
      () =>
        Effect.gen(function* () {
          const database = location()
          yield* Effect.scoped(
            Effect.gen(function* () {
              const sandbox = yield* make({
                database,
                dropSchemaOnClose: true,
                settings: { rateLimit: 1_000_000 }
              })
              const partner = yield* sandbox.createPartner({ creditPoolTotal: 1000, maxOrganizations: 100 })
              const api = client(sandbox, partner.apiKey)
              const ids = yield* Effect.forEach(
                Array.from({ length: 50 }, (_, i) => i),
                (i) =>
                  api
                    .post("/partner/organizations", { name: `Org ${i}`, tier: "paid" })
                    .pipe(Effect.map((r) => String(field(r.body, "organization", "id"))))
              )
              const replies = yield* Effect.forEach(
                ids,
                (id) => api.put(`/partner/organizations/${id}/credits`, { credits: 100 }),
                {
                  concurrency: "unbounded"
                }
              )
              const statuses = replies.map((r) => r.status)
              expect(statuses.filter((s) => s === 200).length).toBe(10)
              expect(statuses.filter((s) => s === 422).length).toBe(40)
              const me = yield* api.get("/partner/me")
              expect([
                field(me.body, "partner", "creditPoolUsed"),
                field(me.body, "partner", "creditPoolAvailable")
              ]).toEqual([1000, 0])
              const reset = yield* sandbox.reset({ seed: 1, organizations: 2, visitorsPerOrg: 2 })
              const orgs = yield* client(sandbox, reset.apiKey).get("/partner/organizations")
              expect(field(orgs.body, "total")).toBe(2)
            })
          )
          if (database._tag === "Postgres" && database.schema !== undefined) {
            expect(yield* schemaExists(database.schema)).toBe(false)
          }
        })
    )
  }
})
