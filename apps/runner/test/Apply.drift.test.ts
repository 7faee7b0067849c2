// The runner against a stand-in for the real API: the sandbox behind a proxy that answers an applied
// credit change with an HTML 500, or asks for an absurd wait.
import { Organizations } from "@bullseye-partner/core/Organizations"
import { SandboxTest } from "@bullseye-partner/sandbox/SandboxTest"
import { describe, expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { Drift, type DriftRule, driftServer } from "../../../packages/sandbox/test/support/DriftServer.js"
import { absurdRetryAfter, creditsPath } from "../../../packages/sandbox/test/support/DriftRules.js"
import { runCli, sandboxEnv, sdkLayer, tempDir } from "./support/cli.js"

interface Row {
  readonly externalId: string
  readonly action: string
  readonly outcome: string
  readonly message: string
}

const readReport = (file: string): ReadonlyArray<Row> =>
  readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Row)

describe("apply through the drift server", () => {
  layer(SandboxTest.layer(), { excludeTestServices: true })((it) => {
    const lostAnswers: ReadonlyArray<readonly [string, string, DriftRule]> = [
      ["an HTML 500", "html", { method: "PUT", path: creditsPath, reply: Drift.htmlError(500) }],
      [
        "a 200 that does not decode",
        "garbled",
        { method: "PUT", path: creditsPath, json: () => ({ allocation: "done" }) }
      ]
    ]
    it.scoped.each(lostAnswers)(
      "a credit step whose applied PUT is answered by %s ends applied, not failed",
      ([, prefix, rule]) =>
        Effect.gen(function* () {
          const sandbox = yield* SandboxTest
          const drift = yield* driftServer(sandbox.baseUrl)
          const dir = tempDir()
          const env = { ...sandboxEnv(sandbox, dir), BULLSEYE_BASE_URL: drift.baseUrl }
          const sdk = sdkLayer(sandbox)
          const organization = yield* Effect.flatMap(Organizations, (orgs) =>
            orgs.create({ name: "Drift credits", externalId: `driftcredits-${prefix}-1`, tier: "paid" })
          ).pipe(Effect.provide(sdk))
          writeFileSync(
            join(dir, "spec.yaml"),
            [
              "select: { externalIdPrefix: driftcredits- }",
              "actions:",
              "  - allocateCredits: { credits: 120 }"
            ].join("\n")
          )
          const planned = yield* runCli(
            ["plan", join(dir, "spec.yaml"), "--out", join(dir, "plan.json")],
            env
          )
          expect(planned.code, planned.err).toBe(2)

          yield* drift.setRules([rule])
          const report = join(dir, "report.ndjson")
          const applied = yield* runCli(["apply", join(dir, "plan.json"), "--yes", "--report", report], env)
          expect(applied.code, applied.err).toBe(0)
          expect(readReport(report).map((r) => [r.externalId, r.action, r.outcome])).toEqual([
            [`driftcredits-${prefix}-1`, "allocateCredits", "applied"]
          ])
          const after = yield* Effect.flatMap(Organizations, (orgs) => orgs.get(organization.id)).pipe(
            Effect.provide(sdk)
          )
          expect(after.credits).toBe(120)
          // Sent once: the answer was lost, a fresh read confirmed the change instead of a second PUT.
          expect((yield* drift.hits).filter((h) => h.method === "PUT").map((h) => h.drifted)).toEqual([true])
        })
    )

    it.scoped("a 429 asking to wait 999999 s ends the run at once with a rate-limit message", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const drift = yield* driftServer(sandbox.baseUrl)
        const dir = tempDir()
        const env = { ...sandboxEnv(sandbox, dir), BULLSEYE_BASE_URL: drift.baseUrl }
        yield* Effect.flatMap(Organizations, (orgs) =>
          orgs.create({ name: "Drift wait", externalId: "driftwait-1", tier: "paid" })
        ).pipe(Effect.provide(sdkLayer(sandbox)))
        writeFileSync(
          join(dir, "spec.yaml"),
          [
            "select: { externalIdPrefix: driftwait- }",
            "actions:",
            "  - allocateCredits: { credits: 60 }"
          ].join("\n")
        )
        yield* drift.setRules([absurdRetryAfter])
        const planned = yield* runCli(["plan", join(dir, "spec.yaml"), "--out", join(dir, "plan.json")], env)
        expect(planned.code).toBe(1)
        expect(planned.err).toContain("TooManyRequests")
        expect(planned.err).toMatch(/accepts requests again at \d{4}-\d\d-\d\dT.* \(in 99\d{4} s\)/)
        expect(planned.err.trim().split("\n")).toHaveLength(1)
        expect((yield* drift.hits).length).toBe(1)
      })
    )

    it.scoped("keys create shows the one-time key even when the rest of its answer does not decode", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const drift = yield* driftServer(sandbox.baseUrl, [
          {
            method: "POST",
            path: /^\/partner\/api-keys$/,
            status: 200,
            json: (body) => ({
              ...(body as object),
              apiKey: { id: (body as { apiKey: { id: string } }).apiKey.id }
            })
          }
        ])
        const dir = tempDir()
        const env = { ...sandboxEnv(sandbox, dir), BULLSEYE_BASE_URL: drift.baseUrl }
        const created = yield* runCli(["keys", "create", "--name", "drifted", "--json"], env)
        expect(created.code, created.err).toBe(0)
        expect(created.err).toContain("the key was created")
        const shown = JSON.parse(created.out) as { readonly id: string; readonly plainKey: string }
        expect(shown.plainKey).toMatch(/^pk_test_/)
        // The key shown is the key created: it authenticates.
        const me = yield* Effect.promise(() =>
          fetch(`${sandbox.baseUrl}/partner/me`, { headers: { "x-partner-api-key": shown.plainKey } })
        )
        expect(me.status).toBe(200)
      })
    )
  })
})
