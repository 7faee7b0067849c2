import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { make } from "../../src/SandboxTest.js"
import { field, request } from "../support/Http.js"

const fileBytes = (path: string): Buffer =>
  Buffer.concat([path, `${path}-wal`, `${path}-shm`].filter(existsSync).map((p) => readFileSync(p)))

describe("secrets at rest", () => {
  it.live("the SQLite database file contains no API key, webhook secret or control token in plain text", () =>
    Effect.gen(function* () {
      const dir = mkdtempSync(join(tmpdir(), "bullseye-secrets-"))
      const path = join(dir, "sandbox.db")
      const secrets: Array<string> = []
      yield* Effect.scoped(
        Effect.gen(function* () {
          const sandbox = yield* make({ database: { _tag: "Sqlite", filename: path } })
          secrets.push(Redacted.value(sandbox.apiKey), Redacted.value(sandbox.controlToken))
          for (const scopes of [undefined, ["read"], ["write", "admin"]]) {
            const reply = yield* request(sandbox.baseUrl, "POST", "/partner/api-keys", {
              key: sandbox.apiKey,
              body: { name: "secret test", ...(scopes === undefined ? {} : { scopes }) }
            })
            secrets.push(String(field(reply.body, "plainKey")))
          }
          const identificationSecret = "whsec_identification_0123456789"
          const billingSecret = "whsec_billing_abcdefghijklmnopqrst"
          secrets.push(identificationSecret, billingSecret)
          for (const [type, secret] of [
            ["identification", identificationSecret],
            ["billing", billingSecret]
          ] as const) {
            const reply = yield* request(sandbox.baseUrl, "PUT", `/partner/webhooks/${type}`, {
              key: sandbox.apiKey,
              body: { url: "https://example.com/hooks", secret, enabled: true }
            })
            expect(field(reply.body, type, "hasSecret")).toBe(true)
          }
          const other = yield* sandbox.createPartner({ name: "Second" })
          secrets.push(Redacted.value(other.apiKey))
          const whileRunning = fileBytes(path)
          expect(whileRunning.length).toBeGreaterThan(0)
          for (const secret of secrets) {
            expect(whileRunning.includes(Buffer.from(secret))).toBe(false)
            expect(whileRunning.includes(Buffer.from(secret.slice(8)))).toBe(false)
          }
        })
      )
      const afterClose = fileBytes(path)
      expect(secrets.length).toBe(8)
      for (const secret of secrets) expect(afterClose.includes(Buffer.from(secret))).toBe(false)
      expect(afterClose.includes(Buffer.from("Demo Partner"))).toBe(true)
      rmSync(dir, { recursive: true, force: true })
    })
  )
})
