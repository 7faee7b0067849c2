import { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { PgClient } from "@effect/sql-pg"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { type ConfigError, Context, Effect, Layer, Option, Redacted } from "effect"

/** The state of one step in the journal. */
export type StepState = "pending" | "started" | "done"

/** How a step ended. */
export type Outcome = "applied" | "satisfied" | "drifted" | "failed"

/** One step as journaled. */
export interface JournalStep {
  readonly stepId: string
  readonly seq: number
  readonly state: StepState
  readonly outcome: Outcome | null
  readonly organizationId: string | null
  readonly errorCode: string | null
  readonly message: string | null
}

/** What a finished step records. */
export interface StepResult {
  readonly outcome: Outcome
  readonly organizationId: string | null
  readonly errorCode: string | null
  readonly message: string
}

/** A durable record of runs and their steps, so an interrupted run can resume where it stopped. */
export class Journal extends Context.Tag("@bullseye-partner/runner/Journal")<
  Journal,
  {
    /** Records a run and its steps as pending, in one transaction; steps already journaled keep their state. */
    readonly createRun: (
      runId: string,
      plan: string,
      stepIds: ReadonlyArray<string>
    ) => Effect.Effect<void, SqlError>
    readonly plan: (runId: string) => Effect.Effect<Option.Option<string>, SqlError>
    readonly steps: (runId: string) => Effect.Effect<ReadonlyArray<JournalStep>, SqlError>
    readonly started: (runId: string, stepId: string) => Effect.Effect<void, SqlError>
    readonly done: (runId: string, stepId: string, result: StepResult) => Effect.Effect<void, SqlError>
    readonly finish: (runId: string) => Effect.Effect<void, SqlError>
  }
>() {}

const migrate = (sql: SqlClient.SqlClient) =>
  Effect.all(
    [
      sql`CREATE TABLE IF NOT EXISTS runner_runs (
        run_id TEXT PRIMARY KEY,
        plan TEXT NOT NULL,
        created_at TEXT NOT NULL,
        finished_at TEXT
      )`,
      sql`CREATE TABLE IF NOT EXISTS runner_steps (
        run_id TEXT NOT NULL,
        step_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        state TEXT NOT NULL,
        outcome TEXT,
        organization_id TEXT,
        error_code TEXT,
        message TEXT,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (run_id, step_id)
      )`
    ],
    { discard: true }
  )

const now = () => new Date().toISOString()

const text = (row: Record<string, unknown>, key: string): string | null => {
  const value = row[key]
  return value === null || value === undefined ? null : String(value)
}

/** The journal over whichever SqlClient is provided; SQLite and PostgreSQL share the schema. */
export const layer: Layer.Layer<Journal, SqlError, SqlClient.SqlClient> = Layer.effect(
  Journal,
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* migrate(sql)
    return Journal.of({
      createRun: (runId, plan, stepIds) =>
        sql.withTransaction(
          Effect.gen(function* () {
            const at = now()
            yield* sql`INSERT INTO runner_runs ${sql.insert({ run_id: runId, plan, created_at: at })} ON CONFLICT (run_id) DO NOTHING`
            const known = yield* sql`SELECT COUNT(*) AS n FROM runner_steps WHERE run_id = ${runId}`
            const offset = Number(known[0]?.["n"] ?? 0)
            for (let i = 0; i < stepIds.length; i += 200) {
              const rows = stepIds.slice(i, i + 200).map((stepId, j) => ({
                run_id: runId,
                step_id: stepId,
                seq: offset + i + j,
                state: "pending",
                updated_at: at
              }))
              yield* sql`INSERT INTO runner_steps ${sql.insert(rows)} ON CONFLICT (run_id, step_id) DO NOTHING`
            }
          })
        ),
      plan: (runId) =>
        Effect.map(sql`SELECT plan FROM runner_runs WHERE run_id = ${runId}`, (rows) =>
          Option.map(Option.fromNullable(rows[0]), (r) => String(r["plan"]))
        ),
      steps: (runId) =>
        Effect.map(
          sql`SELECT * FROM runner_steps WHERE run_id = ${runId} ORDER BY seq`,
          (rows): ReadonlyArray<JournalStep> =>
            rows.map((r) => ({
              stepId: String(r["step_id"]),
              seq: Number(r["seq"]),
              state: String(r["state"]) as StepState,
              outcome: text(r, "outcome") as Outcome | null,
              organizationId: text(r, "organization_id"),
              errorCode: text(r, "error_code"),
              message: text(r, "message")
            }))
        ),
      started: (runId, stepId) =>
        sql`UPDATE runner_steps SET state = 'started', updated_at = ${now()} WHERE run_id = ${runId} AND step_id = ${stepId}`.pipe(
          Effect.asVoid
        ),
      done: (runId, stepId, result) =>
        sql`UPDATE runner_steps SET ${sql.update({
          state: "done",
          outcome: result.outcome,
          organization_id: result.organizationId,
          error_code: result.errorCode,
          message: result.message,
          updated_at: now()
        })} WHERE run_id = ${runId} AND step_id = ${stepId}`.pipe(Effect.asVoid),
      finish: (runId) =>
        sql`UPDATE runner_runs SET finished_at = ${now()} WHERE run_id = ${runId}`.pipe(Effect.asVoid)
    })
  })
)

/** Where the journal lives: a SQLite file or a PostgreSQL URL. */
export const locationLayer = (location: string): Layer.Layer<Journal, SqlError | ConfigError.ConfigError> =>
  /^postgres(ql)?:\/\//.test(location)
    ? layer.pipe(Layer.provide(PgClient.layer({ url: Redacted.make(location) })))
    : layer.pipe(Layer.provide(SqliteClient.layer({ filename: location })))
