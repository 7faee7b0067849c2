import { describe, expect, layer } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { endpoints } from "../../src/Http/Endpoints.js"
import { SandboxTest } from "../../src/SandboxTest.js"
import { fillPath, testEndpoints } from "../support/Endpoints.js"
import { field, isErrorBody, request } from "../support/Http.js"

const unauthorizedBody = { code: "Unauthorized", message: "Invalid or missing API key", details: {} }

const createKey = (scopes?: ReadonlyArray<string>, expiresAt?: string) =>
  Effect.gen(function* () {
    const sandbox = yield* SandboxTest
    const reply = yield* request(sandbox.baseUrl, "POST", "/partner/api-keys", {
      key: sandbox.apiKey,
      body: {
        name: `key-${scopes?.join("-") ?? "full"}`,
        ...(scopes === undefined ? {} : { scopes }),
        ...(expiresAt === undefined ? {} : { expiresAt })
      }
    })
    expect(reply.status).toBe(201)
    return { id: String(field(reply.body, "apiKey", "id")), key: String(field(reply.body, "plainKey")) }
  })

describe("authentication and scopes", () => {
  layer(SandboxTest.layer({ settings: { rateLimit: 1_000_000, unauthenticatedLimit: 1_000_000 } }), {
    excludeTestServices: true,
    timeout: 30_000
  })((it) => {
    it.effect(
      "the test table covers every endpoint of the contract with the scope it is annotated with",
      () =>
        Effect.sync(() => {
          const fromContract = endpoints
            .map((e) => `${e.method} ${e.path.replace(/:(\w+)/g, "{$1}")} ${e.scope}`)
            .sort()
          const placeholders: Record<string, string> = {
            org: "organizationId",
            key: "keyId",
            visitor: "visitorId",
            config: "icpConfigId"
          }
          const fromTable = testEndpoints
            .map(
              (e) =>
                `${e.method} ${e.path.split("?")[0]?.replace(/\{(\w+)\}/g, (_, p: string) => `{${placeholders[p] ?? p}}`)} ${e.scope}`
            )
            .sort()
          expect(fromTable).toEqual(fromContract)
          expect(fromTable.length).toBe(36)
        })
    )

    it.effect(
      "missing, empty, unknown, malformed, revoked and expired keys get exactly the documented 401",
      () =>
        Effect.gen(function* () {
          const sandbox = yield* SandboxTest
          const revoked = yield* createKey(["read"])
          expect(
            (yield* request(sandbox.baseUrl, "DELETE", `/partner/api-keys/${revoked.id}`, {
              key: sandbox.apiKey
            })).status
          ).toBe(204)
          const expiring = yield* createKey(["read"], new Date(Date.now() + 3_600_000).toISOString())
          const before = yield* request(sandbox.baseUrl, "GET", "/partner/me", { key: expiring.key })
          expect(before.status).toBe(200)
          yield* sandbox.control("POST", "/clock", { days: 1 })
          const presented: ReadonlyArray<string | undefined> = [
            undefined,
            "",
            "pk_test_doesnotexistdoesnotexistdoesnot",
            "x",
            "pk_test_" + "a".repeat(500),
            revoked.key,
            expiring.key,
            `${revoked.key} `
          ]
          for (const key of presented) {
            const reply = yield* request(sandbox.baseUrl, "GET", "/partner/me", { key })
            expect([key, reply.status]).toEqual([key, 401])
            expect(reply.body).toEqual(unauthorizedBody)
          }
          const unknownRoute = yield* request(sandbox.baseUrl, "GET", "/partner/nothing-here")
          expect([unknownRoute.status, unknownRoute.body]).toEqual([401, unauthorizedBody])
          const badBody = yield* request(sandbox.baseUrl, "POST", "/partner/organizations", {
            key: "nope",
            raw: "{"
          })
          expect([badBody.status, badBody.body]).toEqual([401, unauthorizedBody])
          const listed = yield* request(sandbox.baseUrl, "GET", "/partner/api-keys", { key: sandbox.apiKey })
          const statuses = Object.fromEntries(
            (field(listed.body, "apiKeys") as ReadonlyArray<{ id: string; status: string }>).map((k) => [
              k.id,
              k.status
            ])
          )
          expect([statuses[revoked.id], statuses[expiring.id]]).toEqual(["revoked", "expired"])
        })
    )

    it.effect("a successful request updates the key's lastUsedAt", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const created = yield* createKey(["read"])
        const lastUsed = () =>
          request(sandbox.baseUrl, "GET", "/partner/api-keys", { key: sandbox.apiKey }).pipe(
            Effect.map(
              (r) =>
                (field(r.body, "apiKeys") as ReadonlyArray<{ id: string; lastUsedAt: string | null }>).find(
                  (k) => k.id === created.id
                )?.lastUsedAt
            )
          )
        expect(yield* lastUsed()).toBeNull()
        yield* request(sandbox.baseUrl, "GET", "/partner/me", { key: created.key })
        expect(yield* lastUsed()).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/)
      })
    )

    it.effect("every endpoint x read/write/admin key is allowed or refused exactly as the table says", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const keys = {
          read: yield* createKey(["read"]),
          write: yield* createKey(["write"]),
          admin: yield* createKey(["admin"]),
          readWrite: yield* createKey(["read", "write"])
        }
        const rank = { read: 0, write: 1, admin: 2 }
        const scopesOf = { read: ["read"], write: ["write"], admin: ["admin"], readWrite: ["read", "write"] }
        const grants = { read: 0, write: 1, admin: 2, readWrite: 1 }
        for (const endpoint of testEndpoints) {
          for (const [name, key] of Object.entries(keys) as ReadonlyArray<
            [keyof typeof keys, { key: string }]
          >) {
            const reply = yield* request(sandbox.baseUrl, endpoint.method, fillPath(endpoint.path), {
              key: key.key,
              ...(endpoint.body === undefined ? {} : { body: endpoint.body })
            })
            const allowed = grants[name] >= rank[endpoint.scope]
            if (allowed) {
              expect([endpoint.name, name, reply.status]).not.toEqual([endpoint.name, name, 403])
              expect(reply.status).not.toBe(401)
              expect(reply.status).toBeLessThan(500)
            } else {
              expect([endpoint.name, name, reply.status]).toEqual([endpoint.name, name, 403])
              expect(reply.body).toEqual({
                code: "Forbidden",
                message: expect.any(String),
                details: { requiredScope: endpoint.scope, keyScopes: scopesOf[name] }
              })
            }
          }
        }
      })
    )

    it.effect(
      "creating an organization with initialCredits > 0 needs admin; the scope check precedes body validation",
      () =>
        Effect.gen(function* () {
          const sandbox = yield* SandboxTest
          const write = yield* createKey(["write"])
          const read = yield* createKey(["read"])
          const admin = yield* createKey(["admin"])
          const funded = { name: "Funded", tier: "paid", initialCredits: 10 }
          const refused = yield* request(sandbox.baseUrl, "POST", "/partner/organizations", {
            key: write.key,
            body: funded
          })
          expect([refused.status, field(refused.body, "details")]).toEqual([
            403,
            { requiredScope: "admin", keyScopes: ["write"] }
          ])
          const zero = yield* request(sandbox.baseUrl, "POST", "/partner/organizations", {
            key: write.key,
            body: { name: "Unfunded", initialCredits: 0 }
          })
          expect(zero.status).toBe(201)
          const ok = yield* request(sandbox.baseUrl, "POST", "/partner/organizations", {
            key: admin.key,
            body: funded
          })
          expect([ok.status, field(ok.body, "organization", "credits")]).toEqual([201, 10])
          const invalidForRead = yield* request(sandbox.baseUrl, "POST", "/partner/organizations", {
            key: read.key,
            body: { name: 42, unknown: true }
          })
          expect(invalidForRead.status).toBe(403)
          const invalidForWrite = yield* request(sandbox.baseUrl, "POST", "/partner/organizations", {
            key: write.key,
            body: { name: 42, unknown: true }
          })
          expect(invalidForWrite.status).toBe(400)
          expect(isErrorBody(invalidForWrite.body)).toBe(true)
          expect(field(invalidForWrite.body, "details", "issues")).toEqual([
            { path: ["body", "unknown"], message: expect.stringContaining("is unexpected") },
            { path: ["body", "name"], message: expect.stringContaining("Expected string") }
          ])
        })
    )

    it.effect("a key may revoke itself; the next request is 401", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const admin = yield* createKey(["admin"])
        expect(
          (yield* request(sandbox.baseUrl, "DELETE", `/partner/api-keys/${admin.id}`, { key: admin.key }))
            .status
        ).toBe(204)
        expect((yield* request(sandbox.baseUrl, "GET", "/partner/me", { key: admin.key })).status).toBe(401)
        expect(
          (yield* request(sandbox.baseUrl, "DELETE", `/partner/api-keys/${admin.id}`, {
            key: sandbox.apiKey
          })).status
        ).toBe(204)
        expect(Redacted.value(sandbox.apiKey)).toMatch(/^pk_test_/)
      })
    )
  })
})
