import { Analytics } from "@bullseye-partner/core/Analytics"
import { ApiKeys } from "@bullseye-partner/core/ApiKeys"
import { Billing } from "@bullseye-partner/core/Billing"
import { Branding } from "@bullseye-partner/core/Branding"
import { Domains } from "@bullseye-partner/core/Domains"
import { IcpConfigs } from "@bullseye-partner/core/IcpConfigs"
import { Organizations } from "@bullseye-partner/core/Organizations"
import { PartnerAccount } from "@bullseye-partner/core/PartnerAccount"
import { Webhooks } from "@bullseye-partner/core/Webhooks"
import { Options, Prompt } from "@effect/cli"
import { FileSystem, Path } from "@effect/platform"
import { Context, Data, Effect, Layer, Option, Ref } from "effect"
import * as Connection from "../Connection.js"
import * as Journal from "../Journal.js"
import { Output } from "../Output.js"
import { cell } from "../Report.js"
import { StepExecutor } from "../StepExecutor.js"

/** The process exit code the commands decide (0 unless set). */
export class ExitCode extends Context.Tag("@bullseye-partner/runner/ExitCode")<ExitCode, Ref.Ref<number>>() {}

export const setExitCode = (code: number) => Effect.flatMap(ExitCode, (ref) => Ref.set(ref, code))

/** A failure the user can act on: printed as one line on stderr, exit code 1. */
export class UserError extends Data.TaggedError("UserError")<{ readonly message: string }> {}

export const profile = Options.text("profile").pipe(
  Options.withDescription(
    "a saved profile (its key and base URL); default: BULLSEYE_API_KEY/BULLSEYE_BASE_URL"
  ),
  Options.optional
)

export const json = Options.boolean("json").pipe(Options.withDescription("print JSON instead of a table"))

export const yes = Options.boolean("yes").pipe(Options.withDescription("do not ask for confirmation"))

/**
 * Asks before a destructive action: `--yes` skips the question; without a terminal to ask on, the
 * command stops with a one-line hint instead of acting.
 */
export const confirm = (question: string, action: string, skip: boolean) =>
  Effect.gen(function* () {
    if (skip) return
    if (!(yield* Output).stdinIsTty)
      return yield* new UserError({ message: `Not a terminal: pass --yes to ${action} without confirmation` })
    const confirmed = yield* Prompt.confirm({ message: question, initial: false })
    if (!confirmed) return yield* new UserError({ message: `Nothing done: not confirmed` })
  })

export const journal = Options.text("journal").pipe(
  Options.withDescription("journal location: a SQLite file or postgres://... (default: the data directory)"),
  Options.optional
)

/** Every endpoint-group service plus the step executor, over one connection. */
export const apiLayer = (selected: Option.Option<string>) =>
  Layer.mergeAll(
    StepExecutor.Default,
    ApiKeys.Default,
    Webhooks.Default,
    Billing.Default,
    Branding.Default,
    Domains.Default,
    Analytics.Default,
    PartnerAccount.Default
  ).pipe(
    Layer.provideMerge(Layer.mergeAll(Organizations.Default, IcpConfigs.Default)),
    Layer.provideMerge(Connection.layer({ profile: selected }))
  )

/** The journal at `--journal`, or `journal.db` in the data directory. */
export const journalLayer = (location: Option.Option<string>) =>
  Layer.unwrapEffect(
    Effect.gen(function* () {
      const path = yield* Path.Path
      const fs = yield* FileSystem.FileSystem
      const target = Option.isSome(location)
        ? location.value
        : path.join(yield* Connection.dataDirectory, "journal.db")
      if (!/^postgres(ql)?:\/\//.test(target))
        // Private (0700) like the data directory it usually is (see sandbox DataDirectory.makePrivateDirectory).
        yield* fs.makeDirectory(path.dirname(path.resolve(target)), { recursive: true, mode: 0o700 })
      return Journal.locationLayer(target)
    })
  )

/** A plain text table with a header row. */
export const table = (
  rows: ReadonlyArray<Record<string, unknown>>,
  columns: ReadonlyArray<string>
): string => {
  const cells = rows.map((row) => columns.map((c) => cell(row[c])))
  const widths = columns.map((c, i) => Math.min(60, Math.max(c.length, ...cells.map((r) => r[i]!.length))))
  const line = (values: ReadonlyArray<string>) =>
    values
      .map((v, i) => (v.length > widths[i]! ? `${v.slice(0, widths[i]! - 1)}…` : v.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd()
  return [line(columns), ...cells.map(line)].join("\n") + "\n"
}

/** Prints a result: JSON when asked or when stdout is not a terminal, a table (lists) or key/value lines otherwise. */
export const print = (
  value: unknown,
  options: { readonly json: boolean; readonly columns?: ReadonlyArray<string> }
) =>
  Effect.gen(function* () {
    const output = yield* Output
    if (options.json || !output.stdoutIsTty) return yield* output.out(`${JSON.stringify(value, null, 2)}\n`)
    if (Array.isArray(value)) {
      const rows = value as ReadonlyArray<Record<string, unknown>>
      const columns = options.columns ?? Object.keys(rows[0] ?? {})
      return yield* output.out(rows.length === 0 ? "(none)\n" : table(rows, columns))
    }
    if (typeof value === "object" && value !== null) {
      const entries = Object.entries(value)
      const width = Math.max(...entries.map(([k]) => k.length))
      return yield* output.out(entries.map(([k, v]) => `${k.padEnd(width)}  ${cell(v)}`).join("\n") + "\n")
    }
    return yield* output.out(`${cell(value)}\n`)
  })

/**
 * The one-off commands' shape: runs `effect` over the connection `--profile` selects, then prints its
 * result as `--json` asks (with `columns` for lists).
 */
export const show = <A, E, R>(
  options: { readonly json: boolean; readonly profile: Option.Option<string> },
  effect: Effect.Effect<A, E, R>,
  columns?: ReadonlyArray<string>
) =>
  effect.pipe(
    Effect.provide(apiLayer(options.profile)),
    Effect.flatMap((result) =>
      print(result, columns === undefined ? { json: options.json } : { json: options.json, columns })
    )
  )
