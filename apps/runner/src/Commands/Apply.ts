import { PartnerClient } from "@bullseye-partner/core/PartnerClient"
import { Args, Command, Options } from "@effect/cli"
import { FileSystem } from "@effect/platform"
import { Duration, Effect, Either, Option, ParseResult } from "effect"
import { journaledPlan, runPlan } from "../Apply.js"
import {
  apiLayer,
  confirm,
  journal,
  journalLayer,
  profile,
  setExitCode,
  UserError,
  yes
} from "../internal/cli.js"
import { Output } from "../Output.js"
import { decodePlan, type Plan } from "../Plan.js"
import { summary } from "../PlanDiff.js"
import { makeProgress } from "../Progress.js"
import { type ReportRow, succeeded, toCsv, toNdjson } from "../Report.js"

const concurrency = Options.integer("concurrency").pipe(
  Options.withDescription("organizations worked on at once (default 8)"),
  Options.withDefault(8)
)
const report = Options.file("report").pipe(
  Options.withDescription("write the report there instead of stdout"),
  Options.optional
)
const reportFormat = Options.choice("report-format", ["ndjson", "csv"]).pipe(
  Options.withDescription("ndjson (default) or csv (formula-injection safe)"),
  Options.optional
)

// The first problem, located by its path in the file: the whole error would spell out the plan's schema.
const firstProblem = (error: ParseResult.ParseError) => {
  const issue = ParseResult.ArrayFormatter.formatErrorSync(error)[0]
  if (issue === undefined) return "not JSON"
  const message = issue.message.replace(/\s+/g, " ").trim()
  return issue.path.length === 0 ? message : `${issue.path.join(".")}: ${message}`
}

const parsePlan = (text: string, source: string) =>
  Either.match(decodePlan(text), {
    onLeft: (error) =>
      Effect.fail(new UserError({ message: `${source} is not a plan file: ${firstProblem(error)}` })),
    onRight: (plan) => Effect.succeed(plan)
  })

const finish = (
  runId: string,
  rows: ReadonlyArray<ReportRow>,
  options: {
    readonly report: Option.Option<string>
    readonly format: Option.Option<"ndjson" | "csv">
    readonly elapsedMs: number
  }
) =>
  Effect.gen(function* () {
    const output = yield* Output
    const fs = yield* FileSystem.FileSystem
    const format = Option.getOrElse(options.format, () =>
      Option.exists(options.report, (f) => f.toLowerCase().endsWith(".csv")) ? "csv" : "ndjson"
    )
    const text = format === "csv" ? toCsv(rows) : toNdjson(rows)
    if (Option.isSome(options.report)) yield* fs.writeFileString(options.report.value, text)
    else yield* output.out(text)
    const count = (outcome: string) => rows.filter((r) => r.outcome === outcome).length
    yield* output.err(
      `Run ${runId}: ${count("applied")} applied, ${count("satisfied")} already satisfied, ${count("drifted")} drifted, ${count("failed")} failed` +
        ` in ${(options.elapsedMs / 1000).toFixed(1)} s` +
        `${Option.isSome(options.report) ? ` (report: ${options.report.value})` : ""}\n`
    )
    yield* setExitCode(succeeded(rows) ? 0 : 1)
  })

const loopback: ReadonlySet<string> = new Set(["127.0.0.1", "localhost", "[::1]"])

/** Whether two base URLs name the same API; loopback ports may differ (the embedded sandbox picks a free one). */
export const sameTarget = (a: string, b: string): boolean => {
  try {
    const x = new URL(a)
    const y = new URL(b)
    if (x.pathname.replace(/\/+$/, "") !== y.pathname.replace(/\/+$/, "")) return false
    return x.host === y.host || (loopback.has(x.hostname) && loopback.has(y.hostname))
  } catch {
    return a === b
  }
}

// A plan read from a sandbox must never create organizations in production, or the reverse.
const checkTarget = (plan: Plan) =>
  Effect.flatMap(PartnerClient, (client) =>
    sameTarget(plan.baseUrl, client.baseUrl)
      ? Effect.void
      : Effect.fail(
          new UserError({
            message: `The plan was made against ${plan.baseUrl} but this connection is ${client.baseUrl}; plan again against this API`
          })
        )
  )

const execute = (
  runId: string,
  plan: Plan,
  args: {
    readonly concurrency: number
    readonly report: Option.Option<string>
    readonly reportFormat: Option.Option<"ndjson" | "csv">
    readonly profile: Option.Option<string>
  }
) =>
  checkTarget(plan).pipe(
    Effect.zipRight(runPlan(runId, plan, { concurrency: args.concurrency, progress: makeProgress })),
    Effect.provide(apiLayer(args.profile)),
    Effect.timed,
    Effect.flatMap(([elapsed, rows]) =>
      finish(runId, rows, {
        report: args.report,
        format: args.reportFormat,
        elapsedMs: Duration.toMillis(elapsed)
      })
    )
  )

const newRunId = () =>
  `run-${new Date().toISOString().replace(/[-:]/g, "").replace(/\..*$/, "")}-${Math.random().toString(36).slice(2, 8)}`

// A named run already in the journal may only continue the same plan: its finished steps would otherwise be
// taken for steps of this one (step ids repeat from plan to plan for the same organization and action).
const checkRunId = (runId: string, plan: Plan) =>
  Effect.flatMap(journaledPlan(runId), (journaled) =>
    journaled === undefined || journaled === JSON.stringify(plan)
      ? Effect.void
      : Effect.fail(
          new UserError({
            message: `Run ${runId} already exists with another plan: pick another --run-id, or continue it with bullseye-run resume ${runId}`
          })
        )
  )

/** `apply PLAN.json`: executes exactly that plan, journaled, skipping steps whose precondition no longer holds. */
export const applyCommand = Command.make(
  "apply",
  {
    plan: Args.file({ name: "PLAN", exists: "yes" }),
    yes,
    concurrency,
    report,
    reportFormat,
    runId: Options.text("run-id").pipe(
      Options.withDescription("name the run (default: generated)"),
      Options.optional
    ),
    journal,
    profile
  },
  (args) =>
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const output = yield* Output
      const plan = yield* parsePlan(yield* fs.readFileString(args.plan), args.plan)
      yield* output.err(summary(plan) + "\n")
      if (plan.steps.length > 0) yield* confirm(`Apply ${plan.steps.length} steps?`, "apply", args.yes)
      const runId = Option.getOrElse(args.runId, newRunId)
      yield* checkRunId(runId, plan)
      yield* output.err(`Run ${runId} (resume with: bullseye-run resume ${runId})\n`)
      yield* execute(runId, plan, args).pipe(
        Effect.onInterrupt(() => output.err(`Interrupted: continue with bullseye-run resume ${runId}\n`))
      )
    }).pipe(Effect.provide(journalLayer(args.journal)))
).pipe(Command.withDescription("Execute a plan, journaled, skipping steps whose state drifted"))

/** `resume RUN_ID`: continues an interrupted apply from its journal. */
export const resumeCommand = Command.make(
  "resume",
  { runId: Args.text({ name: "RUN_ID" }), concurrency, report, reportFormat, journal, profile },
  (args) =>
    Effect.gen(function* () {
      const output = yield* Output
      const text = yield* journaledPlan(args.runId)
      if (text === undefined) return yield* new UserError({ message: `No run ${args.runId} in the journal` })
      const plan = yield* parsePlan(text, `The journal of ${args.runId}`)
      yield* output.err(`Resuming run ${args.runId}\n`)
      yield* execute(args.runId, plan, args)
    }).pipe(Effect.provide(journalLayer(args.journal)))
).pipe(Command.withDescription("Continue an interrupted apply from its journal"))
