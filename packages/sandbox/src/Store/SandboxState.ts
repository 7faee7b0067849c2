import { SqlClient } from "@effect/sql"
import { Effect, Option } from "effect"
import { text } from "../internal/rows.js"

/** Small named values the sandbox keeps across restarts (clock offset, ...). */
export class SandboxState extends Effect.Service<SandboxState>()(
  "@bullseye-partner/sandbox/Store/SandboxState",
  {
    effect: Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      return {
        get: Effect.fn("SandboxState.get")(function* (name: string) {
          const rows = yield* sql`SELECT value FROM sandbox_state WHERE name = ${name}`
          return Option.map(Option.fromNullable(rows[0]), (row) => text(row, "value"))
        }),
        set: Effect.fn("SandboxState.set")(function* (name: string, value: string) {
          yield* sql`INSERT INTO sandbox_state (name, value) VALUES (${name}, ${value})
          ON CONFLICT (name) DO UPDATE SET value = ${value}`
        })
      }
    })
  }
) {}
