import { Redacted } from "effect"

/** Where the store lives: a SQLite file (or `:memory:`) or a PostgreSQL database (optionally one schema of it). */
export type DatabaseLocation =
  | { readonly _tag: "Sqlite"; readonly filename: string }
  | {
      readonly _tag: "Postgres"
      readonly url: Redacted.Redacted<string>
      readonly schema?: string | undefined
    }

/** `postgres://` and `postgresql://` URLs select PostgreSQL; anything else is a SQLite filename. */
export const parseLocation = (value: string): DatabaseLocation =>
  /^postgres(ql)?:\/\//i.test(value)
    ? { _tag: "Postgres", url: Redacted.make(value) }
    : { _tag: "Sqlite", filename: value }

/** A description of the location without credentials, for messages. */
export const describeLocation = (location: DatabaseLocation): string => {
  if (location._tag === "Sqlite") return location.filename
  try {
    const url = new URL(Redacted.value(location.url))
    return `postgres://${url.host}${url.pathname}${location.schema === undefined ? "" : ` (schema ${location.schema})`}`
  } catch {
    return "postgres://(unparsable URL)"
  }
}
