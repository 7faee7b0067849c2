import { Effect, Option } from "effect"
import { Journal, type JournalStep } from "./Journal.js"
import type { Output } from "./Output.js"
import type { Plan } from "./Plan.js"
import type { Progress } from "./Progress.js"
import { reportRows, type ReportRow } from "./Report.js"
import type { Step } from "./Step.js"
import { StepExecutor } from "./StepExecutor.js"

/** Steps of one organization, which run in plan order; organizations run concurrently. */
export const groupByOrganization = (steps: ReadonlyArray<Step>): ReadonlyArray<ReadonlyArray<Step>> => {
  const groups = new Map<string, Array<Step>>()
  for (const step of steps) {
    const key = step.organization.id ?? `external:${step.organization.externalId ?? step.id}`
    const group = groups.get(key)
    if (group === undefined) groups.set(key, [step])
    else group.push(step)
  }
  return [...groups.values()]
}

/** Steps still to run: every step not yet journaled as done. */
export const remaining = (
  steps: ReadonlyArray<Step>,
  journal: ReadonlyArray<JournalStep>
): ReadonlyArray<Step> => {
  const done = new Set(journal.filter((j) => j.state === "done").map((j) => j.stepId))
  return steps.filter((s) => !done.has(s.id))
}

/**
 * Runs (or continues) a journaled run of a plan: each step is journaled as started, checked against a fresh
 * read, performed at most once, and journaled as done with its outcome, before the next step of its organization.
 */
export const runPlan = Effect.fn("Apply.runPlan")(function* (
  runId: string,
  plan: Plan,
  options: {
    readonly concurrency: number
    readonly progress: (total: number, done: number) => Effect.Effect<Progress, never, Output>
  }
) {
  const journal = yield* Journal
  const executor = yield* StepExecutor
  yield* journal.createRun(
    runId,
    JSON.stringify(plan),
    plan.steps.map((s) => s.id)
  )
  const before = yield* journal.steps(runId)
  const todo = remaining(plan.steps, before)
  const interrupted = new Set(before.filter((j) => j.state === "started").map((j) => j.stepId))
  const progress = yield* options.progress(plan.steps.length, plan.steps.length - todo.length)
  yield* Effect.forEach(
    groupByOrganization(todo),
    (group) =>
      Effect.forEach(
        group,
        (step) =>
          Effect.gen(function* () {
            yield* journal.started(runId, step.id)
            const executed = yield* executor.execute(step)
            const result =
              interrupted.has(step.id) && executed.outcome === "satisfied"
                ? { ...executed, message: "already satisfied (most likely by the interrupted attempt)" }
                : executed
            yield* journal.done(runId, step.id, result)
            yield* progress.tick(result.outcome !== "applied" && result.outcome !== "satisfied")
          }),
        { discard: true }
      ),
    { concurrency: Math.max(1, options.concurrency), discard: true }
  ).pipe(Effect.ensuring(progress.stop))
  yield* journal.finish(runId)
  return reportRows(plan.steps, yield* journal.steps(runId)) satisfies ReadonlyArray<ReportRow>
})

/** The plan a run was started with, as journaled. */
export const journaledPlan = Effect.fn("Apply.journaledPlan")(function* (runId: string) {
  const journal = yield* Journal
  return Option.getOrUndefined(yield* journal.plan(runId))
})
