import { Organizations } from "@bullseye-partner/core/Organizations"
import { SandboxTest } from "@bullseye-partner/sandbox/SandboxTest"
import { describe, expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Journal, locationLayer } from "../../src/Journal.js"
import { runCli, sandboxEnv, sdkLayer, tempDir } from "../support/cli.js"

const lines = (text: string) =>
  text
    .trim()
    .split("\n")
    .map(
      (l) =>
        JSON.parse(l) as {
          step: string
          externalId: string
          action: string
          outcome: string
          errorCode: string
          message: string
        }
    )

describe("apply and resume", () => {
  layer(SandboxTest.layer({ settings: { rateLimit: 1_000_000 } }), { excludeTestServices: true })((it) => {
    it.effect(
      "applies a plan once, skips drifted steps, reports each step and exits 1 unless all succeeded",
      () =>
        Effect.gen(function* () {
          const sandbox = yield* SandboxTest
          const dir = tempDir()
          const env = sandboxEnv(sandbox, dir)
          const [a, b] = yield* Effect.gen(function* () {
            const orgs = yield* Organizations
            return yield* Effect.all([
              orgs.create({ name: "Apply A", externalId: "apply-a", tier: "paid" }),
              orgs.create({ name: "Apply B", externalId: "apply-b", tier: "paid" })
            ])
          }).pipe(Effect.provide(sdkLayer(sandbox)))
          writeFileSync(
            join(dir, "spec.yaml"),
            [
              "select: { externalIdPrefix: apply- }",
              "actions:",
              "  - allocateCredits: { credits: 400, notes: '=HYPERLINK(\"x\")' }",
              "  - mergeMetadata: { segment: enterprise }",
              "provision:",
              "  - { name: Apply C, externalId: apply-c, tier: paid, initialCredits: 50 }"
            ].join("\n")
          )
          expect(
            (yield* runCli(["plan", join(dir, "spec.yaml"), "--out", join(dir, "plan.json")], env)).code
          ).toBe(2)
          // Someone changes B's allocation between plan and apply.
          yield* Effect.flatMap(Organizations, (orgs) => orgs.allocateCredits(b!.id, { credits: 10 })).pipe(
            Effect.provide(sdkLayer(sandbox))
          )
          const applied = yield* runCli(
            [
              "apply",
              join(dir, "plan.json"),
              "--yes",
              "--report",
              join(dir, "report.ndjson"),
              "--run-id",
              "r1"
            ],
            env
          )
          expect(applied.code).toBe(1)
          expect(applied.err).toContain("Run r1: 4 applied, 0 already satisfied, 1 drifted, 0 failed")
          const report = lines(readFileSync(join(dir, "report.ndjson"), "utf8"))
          expect(report.map((r) => [r.externalId, r.action, r.outcome]).sort()).toEqual([
            ["apply-a", "allocateCredits", "applied"],
            ["apply-a", "setMetadata", "applied"],
            ["apply-b", "allocateCredits", "drifted"],
            ["apply-b", "setMetadata", "applied"],
            ["apply-c", "createOrganization", "applied"]
          ])
          expect(report.find((r) => r.outcome === "drifted")?.message).toContain("expected 0, found 10")
          const after = yield* Effect.flatMap(Organizations, (orgs) =>
            Effect.all([orgs.get(a!.id), orgs.get(b!.id), orgs.findByExternalId("apply-c")])
          ).pipe(Effect.provide(sdkLayer(sandbox)))
          expect(after[0].credits).toBe(400)
          expect(after[0].metadata).toEqual({ segment: "enterprise" })
          expect(after[1].credits).toBe(10)
          expect(after[2]._tag).toBe("Some")

          // Applying the same plan again changes nothing: every done step is already satisfied (CSV report).
          const again = yield* runCli(
            ["apply", join(dir, "plan.json"), "--yes", "--report", join(dir, "again.csv")],
            env
          )
          expect(again.err).toContain("0 applied, 4 already satisfied, 1 drifted")
          const csv = readFileSync(join(dir, "again.csv"), "utf8")
          expect(csv.split("\n")[0]).toBe(
            "step,organizationId,externalId,organization,action,outcome,errorCode,message"
          )
          expect(csv).toContain(",apply-a,Apply A,allocateCredits,satisfied,,already satisfied")

          // A plan made against another API is refused before anything is sent.
          const elsewhere = {
            ...JSON.parse(readFileSync(join(dir, "plan.json"), "utf8")),
            baseUrl: "https://api.example.com/api/v1"
          }
          writeFileSync(join(dir, "elsewhere.json"), JSON.stringify(elsewhere))
          const refused = yield* runCli(["apply", join(dir, "elsewhere.json"), "--yes"], env)
          expect(refused.code).toBe(1)
          expect(refused.err).toContain("The plan was made against https://api.example.com/api/v1")
        })
    )

    it.effect("resumes an interrupted run from its journal, confirming started steps by a fresh read", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const dir = tempDir()
        const env = sandboxEnv(sandbox, dir)
        const org = yield* Effect.flatMap(Organizations, (orgs) =>
          orgs.create({ name: "Resume A", externalId: "resume-a", tier: "paid" })
        ).pipe(Effect.provide(sdkLayer(sandbox)))
        writeFileSync(
          join(dir, "spec.yaml"),
          "select: { externalIds: [resume-a] }\nactions:\n  - allocateCredits: { credits: 200 }\n  - setStatus: suspended\n"
        )
        yield* runCli(["plan", join(dir, "spec.yaml"), "--out", join(dir, "plan.json")], env)
        const planText = readFileSync(join(dir, "plan.json"), "utf8")
        const stepIds: ReadonlyArray<string> = JSON.parse(planText).steps.map((s: { id: string }) => s.id)
        // A run that died right after sending its first change: journaled as started, already applied.
        const journalFile = join(dir, "journal.db")
        yield* Effect.gen(function* () {
          const journal = yield* Journal
          yield* journal.createRun("r2", planText, stepIds)
          yield* journal.started("r2", stepIds[0]!)
        }).pipe(Effect.provide(locationLayer(journalFile)))
        yield* Effect.flatMap(Organizations, (orgs) => orgs.allocateCredits(org.id, { credits: 200 })).pipe(
          Effect.provide(sdkLayer(sandbox))
        )
        const resumed = yield* runCli(["resume", "r2", "--journal", journalFile], env)
        expect(resumed.code).toBe(0)
        expect(lines(resumed.out).map((r) => [r.action, r.outcome, r.message])).toEqual([
          ["allocateCredits", "satisfied", "already satisfied (most likely by the interrupted attempt)"],
          ["setStatus", "applied", "applied"]
        ])
        const missing = yield* runCli(["resume", "nope", "--journal", journalFile], env)
        expect(missing.code).toBe(1)
        expect(missing.err).toContain("No run nope in the journal")
      })
    )

    it.effect("refuses a file that is not a plan with one line naming the first problem", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const dir = tempDir()
        const env = sandboxEnv(sandbox, dir)
        const refuse = (name: string, text: string) =>
          Effect.gen(function* () {
            writeFileSync(join(dir, name), text)
            const result = yield* runCli(["apply", join(dir, name), "--yes"], env)
            expect(result.code).toBe(1)
            return result.err
          })
        expect(yield* refuse("empty.json", "{}")).toBe(
          `Error: ${join(dir, "empty.json")} is not a plan file: version: is missing\n`
        )
        expect(yield* refuse("text.json", "not json\n")).toMatch(
          new RegExp(`^Error: ${join(dir, "text.json")} is not a plan file: [^\n]*not valid JSON\n$`)
        )
      })
    )

    it.effect("continues a named run with its own plan and refuses to reuse its name for another plan", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const dir = tempDir()
        const env = sandboxEnv(sandbox, dir)
        yield* Effect.flatMap(Organizations, (orgs) =>
          orgs.create({ name: "Named A", externalId: "named-a", tier: "paid" })
        ).pipe(Effect.provide(sdkLayer(sandbox)))
        const planFor = (credits: number, name: string) =>
          Effect.gen(function* () {
            writeFileSync(
              join(dir, `${name}.yaml`),
              `select: { externalIds: [named-a] }\nactions:\n  - allocateCredits: { credits: ${credits} }\n`
            )
            const planned = yield* runCli(
              // A leading `--` (as `pnpm x -- plan ...` passes it) is ignored.
              ["--", "plan", join(dir, `${name}.yaml`), "--out", join(dir, `${name}.json`)],
              env
            )
            expect(planned.code, planned.err).toBe(2)
            return join(dir, `${name}.json`)
          })
        const q1 = yield* planFor(300, "q1")
        const q2 = yield* planFor(600, "q2")
        const apply = (plan: string) => runCli(["apply", plan, "--yes", "--run-id", "top-up"], env)
        expect((yield* apply(q1)).code).toBe(0)
        // The same plan under the same name continues the run: its step is done, and reported as before.
        const again = yield* apply(q1)
        expect(again.code, again.err).toBe(0)
        expect(again.err).toContain("Run top-up: 1 applied, 0 already satisfied, 0 drifted, 0 failed")
        const refused = yield* apply(q2)
        expect(refused.code).toBe(1)
        // Refused before the run starts, in one line.
        expect(refused.err).not.toContain("resume with")
        expect(refused.err.trim().split("\n").at(-1)).toBe(
          "Error: Run top-up already exists with another plan: pick another --run-id, or continue it with bullseye-run resume top-up"
        )
        const credits = yield* Effect.flatMap(Organizations, (orgs) => orgs.findByExternalId("named-a")).pipe(
          Effect.map((found) => (found._tag === "Some" ? found.value.credits : -1)),
          Effect.provide(sdkLayer(sandbox))
        )
        expect(credits).toBe(300)
      })
    )
  })
})
