import type { Organization } from "@bullseye-partner/core/Domain/Organization"
import { Organizations } from "@bullseye-partner/core/Organizations"
import { Chunk, Effect, Stream } from "effect"
import { describeError } from "./internal/describeError.js"
import { Journal } from "./Journal.js"
import { matches } from "./Planner.js"
import type { Selector } from "./Spec.js"

/** Options of `forEachOrganization`. */
export interface ForEachOptions {
  /** Names the journaled run: organizations already done under this name are skipped when run again. */
  readonly run: string
  /** Which organizations (the spec's `select`); every non-canceled one by default. */
  readonly select?: Selector | undefined
  /** Organizations worked on at once (default 8); every request goes through the shared rate-limit governor. */
  readonly concurrency?: number | undefined
}

/** What a forEachOrganization run did. */
export interface ForEachSummary {
  readonly done: number
  readonly skipped: number
  readonly failed: ReadonlyArray<{
    readonly organizationId: string
    readonly code: string
    readonly message: string
  }>
}

/**
 * Runs `f` once per selected organization, journaled: an organization whose `f` succeeded under the same
 * run name is never processed again, so an interrupted script can simply be run again.
 */
export const forEachOrganization = <E, R>(
  options: ForEachOptions,
  f: (organization: Organization) => Effect.Effect<unknown, E, R>
) =>
  Effect.gen(function* () {
    const organizations = yield* Organizations
    const journal = yield* Journal
    const runId = `exec:${options.run}`
    const all = Chunk.toReadonlyArray(yield* Stream.runCollect(organizations.listAll()))
    const selected = all.filter((o) => matches(options.select ?? {}, o))
    yield* journal.createRun(
      runId,
      "",
      selected.map((o) => o.id)
    )
    const finished = new Set(
      (yield* journal.steps(runId))
        .filter((s) => s.state === "done" && s.outcome === "applied")
        .map((s) => s.stepId)
    )
    const failed: Array<ForEachSummary["failed"][number]> = []
    let done = 0
    yield* Effect.forEach(
      selected.filter((o) => !finished.has(o.id)),
      (org) =>
        Effect.gen(function* () {
          yield* journal.started(runId, org.id)
          const result = yield* Effect.either(f(org))
          if (result._tag === "Right") {
            done++
            yield* journal.done(runId, org.id, {
              outcome: "applied",
              organizationId: org.id,
              errorCode: null,
              message: "done"
            })
          } else {
            const { code, message } = describeError(result.left)
            failed.push({ organizationId: org.id, code, message })
            yield* journal.done(runId, org.id, {
              outcome: "failed",
              organizationId: org.id,
              errorCode: code,
              message
            })
          }
        }),
      { concurrency: options.concurrency ?? 8, discard: true }
    )
    return { done, skipped: selected.length - done - failed.length, failed } satisfies ForEachSummary
  }).pipe(Effect.withSpan("forEachOrganization", { attributes: { run: options.run } }))
