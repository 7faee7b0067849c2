import { SqlClient } from "@effect/sql"
import { Effect, Layer, Redacted } from "effect"
import { randomBytes } from "node:crypto"
import * as Database from "../../src/Store/Database.js"

/** The PostgreSQL the tests use (trust auth on this machine). */
export const postgresUrl =
  process.env["BULLSEYE_TEST_DATABASE_URL"] ?? "postgres://postgres@127.0.0.1:5432/test"

/** A fresh in-memory SQLite store. */
export const sqlite = (): Layer.Layer<SqlClient.SqlClient, Database.DatabaseError> =>
  Database.layer({ _tag: "Sqlite", filename: ":memory:" })

/** A fresh PostgreSQL schema, dropped when the layer is released, so parallel runs never collide. */
export const postgres = (): Layer.Layer<SqlClient.SqlClient, Database.DatabaseError> => {
  const schema = `sandbox_test_${randomBytes(6).toString("hex")}`
  const drop = Layer.scopedDiscard(
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      yield* Effect.addFinalizer(() =>
        sql.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).pipe(Effect.orDie)
      )
    })
  )
  return drop.pipe(
    Layer.provideMerge(Database.layer({ _tag: "Postgres", url: Redacted.make(postgresUrl), schema }))
  )
}

/** Both dialects, for suites that must pass on each. */
export const dialects = [
  { name: "sqlite", layer: sqlite },
  { name: "postgres", layer: postgres }
] as const
