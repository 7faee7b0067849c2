import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { randomBytes } from "node:crypto"
import { join } from "node:path"
import { Journal, locationLayer } from "../src/Journal.js"
import { tempDir } from "./support/cli.js"

const postgresUrl = process.env["BULLSEYE_TEST_DATABASE_URL"] ?? "postgres://postgres@127.0.0.1:5432/test"

const locations = [
  { name: "sqlite", location: () => join(tempDir(), "journal.db") },
  { name: "postgres", location: () => postgresUrl }
] as const

describe("Journal", () => {
  for (const { name, location } of locations) {
    it.live(`records runs and step outcomes durably (${name})`, () =>
      Effect.gen(function* () {
        const journal = yield* Journal
        const runId = `test-${randomBytes(6).toString("hex")}`
        const ids = Array.from({ length: 450 }, (_, i) => `step-${i}`)
        yield* journal.createRun(runId, '{"plan":1}', ids)
        yield* journal.started(runId, "step-1")
        yield* journal.done(runId, "step-0", {
          outcome: "applied",
          organizationId: "o1",
          errorCode: null,
          message: "applied"
        })
        // Creating the run again (a resume) keeps every step's state and adds only new steps.
        yield* journal.createRun(runId, "ignored", [...ids, "step-new"])
        const steps = yield* journal.steps(runId)
        expect(steps).toHaveLength(451)
        expect(steps.slice(0, 3).map((s) => [s.stepId, s.state, s.outcome, s.organizationId])).toEqual([
          ["step-0", "done", "applied", "o1"],
          ["step-1", "started", null, null],
          ["step-2", "pending", null, null]
        ])
        expect(steps.at(-1)?.stepId).toBe("step-new")
        expect(yield* journal.plan(runId)).toEqual(Option.some('{"plan":1}'))
        expect(yield* journal.plan("missing")).toEqual(Option.none())
        yield* journal.finish(runId)
      }).pipe(Effect.provide(locationLayer(location())))
    )
  }
})
