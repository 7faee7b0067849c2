import { Args, Command, Options } from "@effect/cli"
import { FileSystem } from "@effect/platform"
import { Effect } from "effect"
import { apiLayer, json, profile, setExitCode } from "../internal/cli.js"
import { Output } from "../Output.js"
import { renderDiff } from "../PlanDiff.js"
import { createPlan } from "../Planning.js"
import { loadSpec } from "../SpecFile.js"

/** `plan SPEC --out PLAN.json`: exit 0 when nothing would change, 2 when something would, 1 on error. */
export const planCommand = Command.make(
  "plan",
  {
    spec: Args.file({ name: "SPEC", exists: "yes" }).pipe(Args.withDescription("a YAML or JSON spec")),
    out: Options.file("out").pipe(
      Options.withDescription("where to write the plan (JSON)"),
      Options.optional
    ),
    json,
    profile
  },
  (args) =>
    Effect.gen(function* () {
      const spec = yield* loadSpec(args.spec)
      const plan = yield* createPlan(spec).pipe(Effect.provide(apiLayer(args.profile)))
      const output = yield* Output
      const fs = yield* FileSystem.FileSystem
      if (args.out._tag === "Some") {
        yield* fs.writeFileString(args.out.value, `${JSON.stringify(plan, null, 2)}\n`)
        yield* output.err(`Plan written to ${args.out.value}\n`)
      }
      yield* output.out(
        args.json
          ? `${JSON.stringify(plan, null, 2)}\n`
          : renderDiff(plan, { color: output.color && output.stdoutIsTty })
      )
      yield* setExitCode(plan.steps.length === 0 ? 0 : 2)
    })
).pipe(Command.withDescription("Compute the exact steps a spec implies against the current state"))
