import { Migrator, SqlClient } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { Data, Duration, Effect, Layer, Redacted } from "effect"
import { describeLocation, type DatabaseLocation } from "./DatabaseLocation.js"
import { migrations, tablesChildrenFirst } from "./Migrations.js"

export { describeLocation, parseLocation, type DatabaseLocation } from "./DatabaseLocation.js"

/** The store could not be opened or migrated; the message is safe to show (no credentials). */
export class DatabaseError extends Data.TaggedError("DatabaseError")<{
  readonly message: string
  readonly cause?: unknown
}> {}

const schemaName = /^[a-z_][a-z0-9_]{0,62}$/

const withSearchPath = (url: string, schema: string): string => {
  const parsed = new URL(url)
  parsed.searchParams.set("options", `-c search_path=${schema}`)
  return parsed.toString()
}

const client = (location: DatabaseLocation): Layer.Layer<SqlClient.SqlClient, DatabaseError> => {
  if (location._tag === "Sqlite") {
    return SqliteClient.layer({ filename: location.filename }).pipe(
      Layer.mapError((cause) => new DatabaseError({ message: `Cannot open ${location.filename}`, cause }))
    )
  }
  const schema = location.schema
  if (schema !== undefined && !schemaName.test(schema)) {
    return Layer.fail(new DatabaseError({ message: `Invalid PostgreSQL schema name "${schema}"` }))
  }
  const url =
    schema === undefined ? location.url : Redacted.make(withSearchPath(Redacted.value(location.url), schema))
  return PgClient.layer({
    url,
    connectTimeout: Duration.seconds(5),
    applicationName: "bullseye-sandbox"
  }).pipe(
    Layer.mapError(
      (cause) => new DatabaseError({ message: `Cannot connect to ${describeLocation(location)}`, cause })
    )
  )
}

const prepare = (location: DatabaseLocation) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    if (location._tag === "Sqlite") {
      yield* sql.unsafe("PRAGMA foreign_keys = ON")
      yield* sql.unsafe("PRAGMA busy_timeout = 5000")
    } else if (location.schema !== undefined) {
      yield* sql.unsafe(`CREATE SCHEMA IF NOT EXISTS ${location.schema}`)
    }
    yield* Migrator.make({})({ loader: migrations, table: "sandbox_migrations" })
  }).pipe(
    Effect.mapError(
      (cause) =>
        new DatabaseError({ message: `Cannot migrate the store at ${describeLocation(location)}`, cause })
    )
  )

/** An `SqlClient` for the location with the store's schema migrated to the latest version. */
export const layer = (location: DatabaseLocation): Layer.Layer<SqlClient.SqlClient, DatabaseError> =>
  Layer.effectDiscard(prepare(location)).pipe(Layer.provideMerge(client(location)))

/** Deletes every row the sandbox owns (the vault key and the migration history stay). */
export const wipe = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql.withTransaction(
    Effect.forEach(tablesChildrenFirst, (table) => sql`DELETE FROM ${sql(table)}`, { discard: true })
  )
})
