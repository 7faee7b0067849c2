import { SandboxTest } from "@bullseye-partner/sandbox/SandboxTest"
import { demoSeed } from "@bullseye-partner/sandbox/SeedOption"
import { describe, expect, it, layer } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { Drift, driftServer } from "../../../../packages/sandbox/test/support/DriftServer.js"
import { request } from "../../../../packages/sandbox/test/support/Http.js"
import { runCli, sandboxEnv, tempDir } from "../support/cli.js"

interface Report {
  readonly result: string
  readonly requests: number
  readonly endpoints: ReadonlyArray<{
    readonly endpoint: string
    readonly outcome: string
    readonly reason?: string
    readonly differences: ReadonlyArray<{
      readonly kind: string
      readonly path: ReadonlyArray<string | number>
    }>
  }>
}

const lineOf = (out: string, endpoint: string) =>
  out.split("\n").find((l) => l.includes(` ${endpoint} (`)) ?? `(no line for ${endpoint})`

describe("bullseye-run doctor", () => {
  layer(SandboxTest.layer({ seed: demoSeed({ organizations: 2, visitorsPerOrg: 2 }) }), {
    excludeTestServices: true
  })((it) => {
    it.effect(
      "against the sandbox every read endpoint conforms: exit 0, one line each, --json holds no key",
      () =>
        Effect.gen(function* () {
          const sandbox = yield* SandboxTest
          const env = sandboxEnv(sandbox, tempDir())
          const text = yield* runCli(["doctor"], env)
          expect(text.code, text.out + text.err).toBe(0)
          const lines = text.out.trim().split("\n")
          expect(lines).toHaveLength(19)
          expect(lines.slice(0, 18).every((l) => l.startsWith("ok ") && l.includes(": conforms"))).toBe(true)
          expect(lines[18]).toMatch(/18 conform, 0 drift, 0 skipped, 0 failed \(\d+ requests\)$/)
          const json = yield* runCli(["doctor", "--json"], env)
          expect(json.code).toBe(0)
          const report = JSON.parse(json.out) as Report
          expect(report.result).toBe("conforms")
          expect(report.endpoints.map((e) => e.outcome)).toEqual(Array(18).fill("conforms"))
          expect(report.requests).toBeLessThanOrEqual(50)
          expect(json.out + json.err + text.out + text.err).not.toContain(Redacted.value(sandbox.apiKey))
        })
    )

    it.scoped("through a drifting API it exits 3 and names each drift; it never writes", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const drift = yield* driftServer(sandbox.baseUrl, [
          { method: "GET", path: /^\/partner\/me$/, dropHeaders: ["X-RateLimit-Reset"] },
          { method: "GET", path: /^\/partner\/analytics$/, status: 203 },
          {
            method: "GET",
            path: /^\/partner\/organizations$/,
            json: (b) => {
              const body = b as { organizations: Array<Record<string, unknown>> }
              return { ...body, organizations: body.organizations.map((o) => ({ ...o, region: "eu" })) }
            }
          },
          {
            method: "GET",
            path: /^\/partner\/organizations\/[^/]+$/,
            json: (b) => ({ ...(Drift.unwrap("organization")(b) as object), status: "disabled" })
          }
        ])
        const env = { ...sandboxEnv(sandbox, tempDir()), BULLSEYE_BASE_URL: drift.baseUrl }
        const text = yield* runCli(["doctor"], env)
        expect(text.code, text.out + text.err).toBe(3)
        expect(lineOf(text.out, "partner.me")).toContain(
          "header X-RateLimit-Reset: expected a whole number, found missing"
        )
        expect(lineOf(text.out, "analytics.get")).toContain("status: expected 200, found 203")
        expect(lineOf(text.out, "organizations.list")).toContain("organizations[0].region: unknown field")
        expect(lineOf(text.out, "organizations.get")).toContain(
          'body: expected the body wrapped as {"organization": …}, found an object without "organization"'
        )
        expect(lineOf(text.out, "organizations.get")).toContain(
          'organization.status: unknown value, expected one of active, canceled, suspended, found "disabled"'
        )
        expect(lineOf(text.out, "billing.get")).toMatch(/^ok /)
        expect(text.out).toMatch(/14 conform, 4 drift, 0 skipped, 0 failed/)

        const json = yield* runCli(["doctor", "--json"], env)
        expect(json.code).toBe(3)
        const report = JSON.parse(json.out) as Report
        expect(report.result).toBe("drift")
        expect(report.endpoints.filter((e) => e.outcome === "drift").map((e) => e.endpoint)).toEqual([
          "partner.me",
          "organizations.list",
          "organizations.get",
          "analytics.get"
        ])
        expect(report.endpoints.find((e) => e.endpoint === "organizations.get")?.differences).toEqual([
          expect.objectContaining({ kind: "wrapper", path: [] }),
          expect.objectContaining({ kind: "unknownValue", path: ["organization", "status"] })
        ])
        expect(json.out + json.err).not.toContain(Redacted.value(sandbox.apiKey))
        expect((yield* drift.hits).every((h) => h.method === "GET")).toBe(true)
      })
    )

    it.effect("a read-only key: endpoints that need admin are skipped with the scope, not drift", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const created = yield* request(sandbox.baseUrl, "POST", "/partner/api-keys", {
          key: sandbox.apiKey,
          body: { name: "doctor-read", scopes: ["read"] }
        })
        const readKey = String((created.body as { plainKey: string }).plainKey)
        const env = { ...sandboxEnv(sandbox, tempDir()), BULLSEYE_API_KEY: readKey }
        const result = yield* runCli(["doctor"], env)
        expect(result.code, result.out + result.err).toBe(0)
        for (const endpoint of ["apiKeys.list", "billing.get", "billing.usage", "billing.calculate"]) {
          expect(lineOf(result.out, endpoint)).toMatch(/^skip .*: skipped: needs scope admin$/)
        }
        expect(result.out).toMatch(/14 conform, 0 drift, 4 skipped, 0 failed/)
        expect(result.out + result.err).not.toContain(readKey)
      })
    )

    it.effect("a key the API refuses: exit 1 with one actionable line", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const env = { ...sandboxEnv(sandbox, tempDir()), BULLSEYE_API_KEY: "pk_test_not-a-real-key" }
        const result = yield* runCli(["doctor"], env)
        expect(result.code).toBe(1)
        expect(result.err.trim().split("\n")).toEqual([
          "Error: The API refused the key (401 on GET /partner/me): check BULLSEYE_API_KEY or the profile"
        ])
      })
    )
  })

  it.live("with no key configured it checks the embedded sandbox and exits 0", () =>
    Effect.gen(function* () {
      const dir = tempDir()
      const env = { HOME: dir, XDG_DATA_HOME: join(dir, "data"), XDG_CONFIG_HOME: join(dir, "config") }
      const result = yield* runCli(["doctor", "--json"], env)
      expect(result.code, result.out + result.err).toBe(0)
      expect(result.err).toContain("using the embedded sandbox")
      expect((JSON.parse(result.out) as Report).result).toBe("conforms")
      const key = readFileSync(join(dir, "data", "bullseye-partner", "sandbox.key"), "utf8").trim()
      expect(result.out + result.err).not.toContain(key)
    })
  )
})
