import { Organizations } from "@bullseye-partner/core/Organizations"
import { Webhooks } from "@bullseye-partner/core/Webhooks"
import { SandboxTest } from "@bullseye-partner/sandbox/SandboxTest"
import { describe, expect, layer } from "@effect/vitest"
import { Chunk, Effect, Layer, Stream } from "effect"
import { spawn } from "node:child_process"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { Journal, locationLayer } from "../src/Journal.js"
import { runCli, sandboxEnv, sdkLayer, tempDir } from "./support/cli.js"

const bin = fileURLToPath(new URL("../bin/bullseye-run.js", import.meta.url))

const spawnRunner = (args: ReadonlyArray<string>, env: Record<string, string>) => {
  const child = spawn(process.execPath, [bin, ...args], {
    env: { PATH: process.env["PATH"] ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"]
  })
  let stderr = ""
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
  child.stdout.resume()
  const exited = Effect.async<number | null>((resume) => {
    if (child.exitCode !== null || child.signalCode !== null) return resume(Effect.succeed(child.exitCode))
    child.once("exit", (code) => resume(Effect.succeed(code)))
  })
  return { child, exited, stderr: () => stderr }
}

const existing = 40
const created = 20

describe("apply: exactly once across SIGKILL and resume", () => {
  layer(
    SandboxTest.layer({
      settings: { rateLimit: 1_000_000 },
      faults: { seed: 3, latencyMs: { min: 8, max: 25 } }
    }),
    { excludeTestServices: true }
  )((it) => {
    it.effect(
      "a plan killed at a random point and resumed ends like an uninterrupted apply, nothing applied twice",
      () =>
        Effect.gen(function* () {
          const sandbox = yield* SandboxTest
          const dir = tempDir()
          const env = sandboxEnv(sandbox, dir)
          const sdk = sdkLayer(sandbox)
          yield* Effect.gen(function* () {
            const webhooks = yield* Webhooks
            const orgs = yield* Organizations
            yield* webhooks.update("billing", { url: "http://127.0.0.1:9/hook", enabled: true })
            yield* Effect.forEach(
              Array.from({ length: existing }, (_, i) => i),
              (i) =>
                orgs.create({
                  name: `Kill ${i}`,
                  externalId: `kill-${String(i).padStart(3, "0")}`,
                  tier: "paid"
                }),
              { concurrency: 8 }
            )
          }).pipe(Effect.provide(sdk))
          const provision = Array.from(
            { length: created },
            (_, i) => `  - { name: New ${i}, externalId: killnew-${i}, tier: paid, initialCredits: 30 }`
          )
          writeFileSync(
            join(dir, "spec.yaml"),
            [
              "select: { externalIdPrefix: kill- }",
              "actions:",
              "  - allocateCredits: { credits: 250 }",
              "  - mergeMetadata: { wave: 1 }",
              "  - setStatus: suspended",
              "provision:",
              ...provision
            ].join("\n")
          )
          const planned = yield* runCli(
            ["plan", join(dir, "spec.yaml"), "--out", join(dir, "plan.json")],
            env
          )
          expect(planned.code).toBe(2)
          const total = JSON.parse(readFileSync(join(dir, "plan.json"), "utf8")).steps.length
          expect(total).toBe(existing * 3 + created)

          const journalFile = join(dir, "journal.db")
          const killAfter = 10 + Math.floor(Math.random() * (total - 30))
          const run = spawnRunner(
            [
              "apply",
              join(dir, "plan.json"),
              "--yes",
              "--run-id",
              "k1",
              "--journal",
              journalFile,
              "--concurrency",
              "3"
            ],
            env
          )
          const doneSteps = Effect.flatMap(Journal, (j) => j.steps("k1")).pipe(
            Effect.map((steps) => steps.filter((s) => s.state === "done").length)
          )
          const journal = yield* Layer.build(locationLayer(journalFile))
          let done = 0
          while (done < killAfter && run.child.exitCode === null) {
            yield* Effect.sleep("20 millis")
            done = yield* doneSteps.pipe(
              Effect.provide(journal),
              Effect.orElseSucceed(() => 0)
            )
          }
          run.child.kill("SIGKILL")
          yield* run.exited
          expect(run.child.signalCode, run.stderr()).toBe("SIGKILL")
          const atKill = yield* doneSteps.pipe(Effect.provide(journal))
          expect(atKill).toBeLessThan(total)

          const resumed = spawnRunner(
            ["resume", "k1", "--journal", journalFile, "--report", join(dir, "report.ndjson")],
            env
          )
          expect(yield* resumed.exited, resumed.stderr()).toBe(0)
          const report = readFileSync(join(dir, "report.ndjson"), "utf8")
            .trim()
            .split("\n")
            .map((l) => JSON.parse(l) as { outcome: string })
          expect(report).toHaveLength(total)
          expect(report.every((r) => r.outcome === "applied" || r.outcome === "satisfied")).toBe(true)

          const { all, allocated } = yield* Effect.gen(function* () {
            const orgs = yield* Organizations
            const webhooks = yield* Webhooks
            const all = Chunk.toReadonlyArray(yield* Stream.runCollect(orgs.listAll()))
            const logs = Chunk.toReadonlyArray(
              yield* Stream.runCollect(webhooks.logsAll({ type: "billing" }))
            )
            return {
              all,
              allocated: new Set(logs.filter((l) => l.event === "credits.allocated").map((l) => l.id)).size
            }
          }).pipe(Effect.provide(sdk))
          const kill = all.filter((o) => o.externalId?.startsWith("kill-"))
          expect(kill).toHaveLength(existing)
          for (const org of kill) {
            expect([org.credits, org.status, org.metadata["wave"]]).toEqual([250, "suspended", 1])
          }
          const fresh = all.filter((o) => o.externalId?.startsWith("killnew-"))
          expect(fresh).toHaveLength(created)
          expect(new Set(fresh.map((o) => o.externalId)).size).toBe(created)
          expect(fresh.every((o) => o.credits === 30 && o.tier === "paid")).toBe(true)
          // One credits.allocated per allocation change and per funded creation: none applied twice.
          expect(allocated).toBe(existing + created)
        }).pipe(Effect.scoped),
      120_000
    )
  })
})
