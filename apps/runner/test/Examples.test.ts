import { IcpConfigs } from "@bullseye-partner/core/IcpConfigs"
import { Organizations } from "@bullseye-partner/core/Organizations"
import type { Organization } from "@bullseye-partner/core/Domain/Organization"
import { demoSeed } from "@bullseye-partner/sandbox/SeedOption"
import { make as startSandbox } from "@bullseye-partner/sandbox/SandboxTest"
import { describe, expect, it } from "@effect/vitest"
import { parse as parseCsv } from "csv-parse/sync"
import { Chunk, Effect, Redacted, Stream } from "effect"
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { parse as parseYaml } from "yaml"
import { runCli, sandboxEnv, sdkLayer, tempDir } from "./support/cli.js"

// The example specs the READMEs name: each runs against a sandbox holding the demo data the embedded sandbox
// creates, applies, and leaves nothing to do for a second plan; its own check then reads the resulting state.
const examples = fileURLToPath(new URL("../examples/", import.meta.url))
const read = (file: string) => readFileSync(join(examples, file), "utf8")

type Sdk = Organizations | IcpConfigs

const allOrganizations = Effect.flatMap(Organizations, (orgs) => Stream.runCollect(orgs.listAll())).pipe(
  Effect.map(Chunk.toReadonlyArray)
)

const activePaid = (orgs: ReadonlyArray<Organization>) =>
  orgs.filter((o) => o.status === "active" && o.tier === "paid")

interface Check {
  /** What the spec must select and change on the demo data, so the example is not vacuous. */
  readonly before: (orgs: ReadonlyArray<Organization>) => Effect.Effect<void, unknown, Sdk>
  readonly after: (
    before: ReadonlyArray<Organization>,
    after: ReadonlyArray<Organization>
  ) => Effect.Effect<void, unknown, Sdk>
}

const checks: Record<string, Check> = {
  "provision-clients.yaml": {
    before: (orgs) =>
      Effect.sync(() => expect(orgs.filter((o) => o.externalId?.startsWith("crm-") === true)).toEqual([])),
    after: (_, orgs) =>
      Effect.sync(() => {
        const rows: ReadonlyArray<Record<string, string>> = parseCsv(read("clients.csv"), { columns: true })
        expect(rows.length).toBeGreaterThan(0)
        for (const row of rows) {
          const matching = orgs.filter((o) => o.externalId === row["externalId"])
          expect(matching).toHaveLength(1)
          const org = matching[0]!
          expect({
            name: org.name,
            tier: org.tier,
            credits: org.credits,
            productType: org.productType,
            billingPeriod: org.billingPeriod,
            metadata: org.metadata
          }).toEqual({
            name: row["name"],
            tier: row["tier"],
            credits: Number(row["initialCredits"]),
            productType: row["productType"],
            billingPeriod: row["billingPeriod"],
            metadata: { plan: row["metadata.plan"], region: row["metadata.region"] }
          })
        }
      })
  },
  "credit-top-up.yaml": {
    before: (orgs) => {
      const credits = parseYaml(read("credit-top-up.yaml")).actions[0].allocateCredits.credits
      return Effect.sync(() => expect(activePaid(orgs).some((o) => o.credits !== credits)).toBe(true))
    },
    after: (before, after) =>
      Effect.sync(() => {
        const credits = parseYaml(read("credit-top-up.yaml")).actions[0].allocateCredits.credits
        expect(activePaid(after).map((o) => o.credits)).toEqual(activePaid(after).map(() => credits))
        // Trial and suspended organizations keep their allocation.
        const others = (orgs: ReadonlyArray<Organization>) =>
          orgs.filter((o) => !activePaid(orgs).includes(o)).map((o) => [o.id, o.credits])
        expect(others(after)).toEqual(others(before))
      })
  },
  "icp-rollout.yaml": {
    before: (orgs) => Effect.sync(() => expect(activePaid(orgs).length).toBeGreaterThan(0)),
    after: (before, after) =>
      Effect.gen(function* () {
        const spec = parseYaml(read("icp-rollout.yaml"))
        const wanted = spec.actions[0].upsertIcpConfig
        const retired = spec.actions[1].deleteIcpConfig.name
        const icp = yield* IcpConfigs
        for (const org of activePaid(after)) {
          const configs = yield* icp.list(org.id)
          const rolledOut = configs.filter((c) => c.name === wanted.name)
          expect(rolledOut).toHaveLength(1)
          expect(rolledOut[0]).toMatchObject({ active: wanted.active, priority: wanted.priority })
          expect(
            rolledOut[0]!.rules.groups.map((g) => ({
              operator: g.operator,
              conditions: g.conditions.map((c) => ({
                type: c.type,
                comparator: c.comparator,
                value: c.value
              }))
            }))
          ).toEqual(wanted.rules.groups)
          expect(configs.map((c) => c.name)).not.toContain(retired)
        }
        // Organizations the selection leaves out keep their configs.
        const untouched = before.filter((o) => !activePaid(before).some((p) => p.id === o.id))
        expect(untouched.length).toBeGreaterThan(0)
        for (const org of untouched) expect((yield* icp.list(org.id)).map((c) => c.name)).toContain(retired)
      })
  }
}

describe("the example specs", () => {
  it("are the examples checked here, no more, no fewer", () => {
    expect(
      readdirSync(examples)
        .filter((f) => f.endsWith(".yaml"))
        .sort()
    ).toEqual(Object.keys(checks).sort())
  })

  for (const [file, check] of Object.entries(checks)) {
    it.scoped(`${file}: plan, apply, then a second plan finds nothing to do`, () =>
      Effect.gen(function* () {
        const sandbox = yield* startSandbox({ seed: demoSeed(), settings: { rateLimit: 1_000_000 } })
        const dir = tempDir()
        const env = sandboxEnv(sandbox, dir)
        const sdk = sdkLayer(sandbox)
        const before = yield* allOrganizations.pipe(Effect.provide(sdk))
        yield* check.before(before).pipe(Effect.provide(sdk))

        const planned = yield* runCli(["plan", join(examples, file), "--out", join(dir, "plan.json")], env)
        expect(planned.code, planned.err).toBe(2)
        const plan = JSON.parse(readFileSync(join(dir, "plan.json"), "utf8"))
        expect(plan.steps.length).toBeGreaterThan(0)

        const applied = yield* runCli(
          ["apply", join(dir, "plan.json"), "--yes", "--report", join(dir, "report.ndjson")],
          env
        )
        expect(applied.code, applied.err).toBe(0)
        const outcomes = readFileSync(join(dir, "report.ndjson"), "utf8")
          .trim()
          .split("\n")
          .map((line) => JSON.parse(line).outcome)
        expect(outcomes).toEqual(plan.steps.map(() => "applied"))

        const again = yield* runCli(["plan", join(examples, file)], env)
        expect(again.code, again.err).toBe(0)
        expect(again.out).toMatch(/^No changes \(\d+ organizations checked\)\.\n$/)

        const after = yield* allOrganizations.pipe(Effect.provide(sdk))
        yield* check.after(before, after).pipe(Effect.provide(sdk))
        // Nothing printed the sandbox's key.
        expect(planned.out + planned.err + applied.out + applied.err).not.toContain(
          Redacted.value(sandbox.apiKey)
        )
      })
    )
  }
})
