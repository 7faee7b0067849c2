// The drift server is test support for the SDK's and the runner's tolerance tests; this checks that it
// forwards faithfully and deviates exactly where a rule says.
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { SandboxTest } from "../src/SandboxTest.js"
import { Drift, driftServer } from "./support/DriftServer.js"
import { field, request } from "./support/Http.js"

describe("DriftServer", () => {
  layer(SandboxTest.layer())((it) => {
    it.scoped("without rules it answers exactly as the sandbox does, rate-limit headers included", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const drift = yield* driftServer(sandbox.baseUrl)
        const direct = yield* request(sandbox.baseUrl, "GET", "/partner/me", { key: sandbox.apiKey })
        const proxied = yield* request(drift.baseUrl, "GET", "/partner/me", { key: sandbox.apiKey })
        expect(proxied.status).toBe(200)
        expect(field(proxied.body, "partner", "id")).toBe(field(direct.body, "partner", "id"))
        expect(proxied.headers.get("x-ratelimit-limit")).toBe(direct.headers.get("x-ratelimit-limit"))
        const refused = yield* request(drift.baseUrl, "GET", "/partner/me", { key: "pk_test_wrong" })
        expect(refused.status).toBe(401)
        expect(yield* drift.hits).toEqual([
          { method: "GET", path: "/partner/me", status: 200, drifted: false },
          { method: "GET", path: "/partner/me", status: 401, drifted: false }
        ])
      })
    )

    it.scoped("a rule rewrites status and body after the write reached the sandbox, `times` times", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const drift = yield* driftServer(sandbox.baseUrl, [
          {
            method: "POST",
            path: /^\/partner\/organizations$/,
            status: 200,
            json: (b) => Drift.extraFields(Drift.unwrap("organization")(b)),
            times: 1
          }
        ])
        const key = { key: sandbox.apiKey }
        const first = yield* request(drift.baseUrl, "POST", "/partner/organizations", {
          ...key,
          body: { name: "Drifted", externalId: "drift-1" }
        })
        expect(first.status).toBe(200)
        expect(field(first.body, "name")).toBe("Drifted")
        expect(field(first.body, "driftNewField", "added")).toBe(true)
        const second = yield* request(drift.baseUrl, "POST", "/partner/organizations", {
          ...key,
          body: { name: "Plain", externalId: "drift-2" }
        })
        expect(second.status).toBe(201)
        expect(field(second.body, "organization", "name")).toBe("Plain")
        const stored = yield* request(
          sandbox.baseUrl,
          "GET",
          "/partner/organizations?externalId=drift-1",
          key
        )
        expect(field(stored.body, "total")).toBe(1)
      })
    )

    it.scoped(
      "a reply replaces the answer of an applied write; forward: false never reaches the sandbox",
      () =>
        Effect.gen(function* () {
          const sandbox = yield* SandboxTest
          const key = { key: sandbox.apiKey }
          const created = yield* request(sandbox.baseUrl, "POST", "/partner/organizations", {
            ...key,
            body: { name: "Html", externalId: "drift-html", tier: "paid" }
          })
          const id = String(field(created.body, "organization", "id"))
          const drift = yield* driftServer(sandbox.baseUrl, [
            { method: "PUT", path: /\/credits$/, reply: Drift.htmlError(502) },
            {
              path: /^\/partner\/billing$/,
              forward: false,
              reply: { status: 429, headers: { "retry-after": "999999" }, body: "" },
              dropHeaders: ["x-ratelimit-reset"]
            }
          ])
          const put = yield* request(drift.baseUrl, "PUT", `/partner/organizations/${id}/credits`, {
            ...key,
            body: { credits: 70 }
          })
          expect(put.status).toBe(502)
          expect(put.headers.get("content-type")).toBe("text/html")
          expect(put.text).toContain("<html>")
          const after = yield* request(sandbox.baseUrl, "GET", `/partner/organizations/${id}`, key)
          expect(field(after.body, "organization", "credits")).toBe(70)
          const billing = yield* request(drift.baseUrl, "GET", "/partner/billing", {
            key: Redacted.make("never-checked")
          })
          expect(billing.status).toBe(429)
          expect(billing.headers.get("retry-after")).toBe("999999")
          expect(billing.headers.get("x-ratelimit-reset")).toBeNull()
        })
    )
  })
})
