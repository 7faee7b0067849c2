import { describe, expect, layer } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import fc from "fast-check"
import { demoSeed } from "../../src/SeedOption.js"
import { SandboxTest, type SandboxHandle } from "../../src/SandboxTest.js"
import type { DatabaseLocation } from "../../src/Store/DatabaseLocation.js"
import { postgresUrl } from "../support/Databases.js"
import { randomBytes } from "node:crypto"
import { fillPath, testEndpoints, type TestEndpoint } from "../support/Endpoints.js"
import { field, isErrorBody, request, type RequestOptions } from "../support/Http.js"

const megabyte = 1024 * 1024

const send = (sandbox: SandboxHandle, method: string, path: string, options: RequestOptions = {}) =>
  Effect.runPromise(request(sandbox.baseUrl, method, path, { key: sandbox.apiKey, ...options }))

// The observable state of the partner, through the API itself (lastUsedAt changes with every request).
const snapshot = async (sandbox: SandboxHandle): Promise<unknown> => {
  const get = async (path: string) => (await send(sandbox, "GET", path)).body
  const organizations = (field(await get("/partner/organizations?pageSize=100"), "organizations") ??
    []) as ReadonlyArray<{ id: string }>
  const perOrganization = await Promise.all(
    organizations.map(async (o) => [
      await get(`/partner/organizations/${o.id}/pixel`),
      await get(`/partner/organizations/${o.id}/icp-configs`),
      await get(`/partner/organizations/${o.id}/visitors?pageSize=100`)
    ])
  )
  const keys = (field(await get("/partner/api-keys"), "apiKeys") ?? []) as ReadonlyArray<
    Record<string, unknown>
  >
  return {
    me: await get("/partner/me"),
    keys: keys.map(({ lastUsedAt: _lastUsedAt, ...rest }) => rest),
    organizations,
    perOrganization,
    webhooks: await get("/partner/webhooks"),
    logs: await get("/partner/webhooks/logs?pageSize=100"),
    billing: await get("/partner/billing"),
    domain: await get("/partner/domain/verification")
  }
}

const expectRefusal = (reply: { status: number; body: unknown; text: string }, context: unknown) => {
  if (reply.status >= 500 || reply.status < 400 || !isErrorBody(reply.body)) {
    throw new Error(
      `Expected a 4xx error body for ${JSON.stringify(context)}, got ${reply.status} ${reply.text.slice(0, 300)}`
    )
  }
}

const notJson = fc.string({ maxLength: 40 }).filter((s) => {
  try {
    JSON.parse(s)
    return false
  } catch {
    return true
  }
})

/** Bodies no payload schema accepts: garbage, non-objects, or objects with an unknown field. */
const invalidBody: fc.Arbitrary<{ readonly raw: string; readonly contentType?: string }> = fc.oneof(
  notJson.map((raw) => ({ raw })),
  fc
    .oneof(
      fc.integer(),
      fc.string({ maxLength: 20 }),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 })
    )
    .map((v) => ({ raw: JSON.stringify(v) })),
  fc
    .tuple(
      fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }),
      fc.jsonValue({ maxDepth: 2 })
    )
    .map(([object, extra]) => ({ raw: JSON.stringify({ ...object, "unknown field": extra }) })),
  fc
    .constantFrom(
      "text/plain",
      "application/x-www-form-urlencoded",
      "application/xml",
      "multipart/form-data; boundary=x",
      "application/vnd.api+json"
    )
    .map((contentType) => ({ raw: JSON.stringify({ name: "Looks valid" }), contentType }))
)

const pathId = fc.oneof(
  fc.string({ minLength: 1, maxLength: 60 }),
  fc.string({ unit: "binary", minLength: 1, maxLength: 30 }),
  fc.constantFrom("..", ".", "%", "%00", "null", "undefined", "0", "-1", "' OR 1=1 --", "a".repeat(5000))
)

const queryValue = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom(
    "",
    "0",
    "-1",
    "101",
    "1.5",
    "1e3",
    "abc",
    "true",
    "TRUE",
    "2025-13-45",
    "2025-02-30",
    "NaN",
    "Infinity",
    "9".repeat(40)
  )
)

const queryKey = fc.oneof(
  fc.constantFrom(
    "page",
    "pageSize",
    "status",
    "search",
    "externalId",
    "startDate",
    "endDate",
    "icpMatch",
    "type",
    "organizationId",
    "usage"
  ),
  fc.string({ minLength: 1, maxLength: 10 })
)

const stores: ReadonlyArray<readonly [string, () => DatabaseLocation]> = [
  ["sqlite", () => ({ _tag: "Sqlite", filename: ":memory:" })],
  [
    "postgres",
    () => ({
      _tag: "Postgres",
      url: Redacted.make(postgresUrl),
      schema: `sandbox_test_${randomBytes(6).toString("hex")}`
    })
  ]
]

// A URL cannot carry a lone surrogate; the UTF-8 round trip replaces it as a browser would.
const wellFormed = (s: string): string => Buffer.from(s, "utf8").toString("utf8")

/** Valid bodies whose strings are anything at all (NUL, lone surrogates, emoji, very long). */
const hostileString = fc.oneof(
  fc.string({ unit: "binary", minLength: 1, maxLength: 40 }),
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }),
  fc.constantFrom("\u0000", "a\u0000b", "\ud800", "💥".repeat(60), "'; DROP TABLE organizations; --", "%_\\")
)

for (const [storeName, location] of stores)
  describe(`bad input never produces a 5xx, always the error body, never a change (${storeName})`, () => {
    layer(
      SandboxTest.layer({
        database: location(),
        dropSchemaOnClose: true,
        seed: demoSeed({ organizations: 2, visitorsPerOrg: 3 }),
        settings: { rateLimit: 10_000_000 }
      }),
      { excludeTestServices: true, timeout: 120_000 }
    )((it) => {
      const realIds = (sandbox: SandboxHandle) =>
        Effect.promise(async () => {
          const orgs = await send(sandbox, "GET", "/partner/organizations")
          const org = String(field(orgs.body, "organizations", 0, "id"))
          const configs = await send(sandbox, "GET", `/partner/organizations/${org}/icp-configs`)
          const visitors = await send(sandbox, "GET", `/partner/organizations/${org}/visitors`)
          const keys = await send(sandbox, "GET", "/partner/api-keys")
          await send(sandbox, "PUT", "/partner/domain", { body: { domain: "track.example.org" } })
          return {
            org,
            config: String(field(configs.body, "icpConfigs", 0, "id")),
            visitor: String(field(visitors.body, "visitors", 0, "id")),
            key: String(field(keys.body, "apiKeys", 0, "id"))
          }
        })

      const withPayload = testEndpoints.filter((e) => e.body !== undefined)

      it.effect("valid requests with hostile strings and numbers are answered, never with a 5xx", () =>
        Effect.gen(function* () {
          const sandbox = yield* SandboxTest
          const ids = yield* realIds(sandbox)
          yield* Effect.promise(() =>
            fc.assert(
              fc.asyncProperty(
                hostileString,
                hostileString,
                fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
                async (name, value, big) => {
                  const replies = [
                    await send(sandbox, "POST", "/partner/organizations", {
                      body: {
                        name,
                        externalId: name.slice(0, 255),
                        metadata: { [value.slice(0, 40)]: value.slice(0, 500) }
                      }
                    }),
                    await send(sandbox, "PUT", `/partner/organizations/${ids.org}`, {
                      body: { ownerUserId: value.slice(0, 255) }
                    }),
                    await send(sandbox, "POST", `/partner/organizations/${ids.org}/icp-configs`, {
                      body: {
                        name: name.slice(0, 100),
                        priority: big,
                        rules: {
                          groups: [
                            {
                              operator: "OR",
                              conditions: [{ type: "company_name", comparator: "contains", value }]
                            }
                          ]
                        }
                      }
                    }),
                    await send(
                      sandbox,
                      "GET",
                      `/partner/organizations?search=${encodeURIComponent(wellFormed(value.slice(0, 255)))}`
                    ),
                    await send(
                      sandbox,
                      "GET",
                      `/partner/organizations/${encodeURIComponent(wellFormed(value))}`
                    ),
                    await send(sandbox, "PUT", `/partner/organizations/${ids.org}/credits`, {
                      body: { credits: big }
                    }),
                    await send(sandbox, "GET", `/partner/billing/calculate?usage=${big}`)
                  ]
                  for (const reply of replies) {
                    if (reply.status >= 500)
                      throw new Error(`5xx for ${JSON.stringify({ name, value, big })}: ${reply.text}`)
                    if (reply.status >= 400) expectRefusal(reply, { name, value })
                  }
                }
              ),
              { numRuns: 60 }
            )
          )
          const configs = yield* Effect.promise(() =>
            send(sandbox, "GET", `/partner/organizations/${ids.org}/icp-configs`)
          )
          expect(configs.status).toBe(200)
        })
      )

      it.effect("invalid bodies and content types to every endpoint with a body", () =>
        Effect.gen(function* () {
          const sandbox = yield* SandboxTest
          const ids = yield* realIds(sandbox)
          const before = yield* Effect.promise(() => snapshot(sandbox))
          yield* Effect.promise(() =>
            fc.assert(
              fc.asyncProperty(
                fc.constantFrom(...withPayload),
                invalidBody,
                async (endpoint: TestEndpoint, body) => {
                  const reply = await send(sandbox, endpoint.method, fillPath(endpoint.path, ids), {
                    raw: body.raw,
                    headers: { "content-type": body.contentType ?? "application/json" }
                  })
                  expectRefusal(reply, { endpoint: endpoint.name, body })
                  expect(reply.status).toBe(400)
                }
              ),
              { numRuns: 400 }
            )
          )
          expect(yield* Effect.promise(() => snapshot(sandbox))).toEqual(before)
        })
      )

      it.effect("every reported issue has a path and a message, and all of them are reported", () =>
        Effect.gen(function* () {
          const sandbox = yield* SandboxTest
          const reply = yield* Effect.promise(() =>
            send(sandbox, "POST", "/partner/organizations", {
              body: {
                name: "",
                initialCredits: -1,
                billingDayOfMonth: 29,
                tier: "gold",
                metadata: { "": 1 },
                extra: true
              }
            })
          )
          expect(reply.status).toBe(400)
          const issues = field(reply.body, "details", "issues") as ReadonlyArray<{
            path: ReadonlyArray<string>
            message: string
          }>
          expect(issues.map((i) => i.path.join("."))).toEqual(
            expect.arrayContaining([
              "body.extra",
              "body.name",
              "body.initialCredits",
              "body.billingDayOfMonth",
              "body.tier",
              "body.metadata"
            ])
          )
          for (const issue of issues) expect(issue.message.length).toBeGreaterThan(0)
        })
      )

      it.effect("random query strings to every GET endpoint", () =>
        Effect.gen(function* () {
          const sandbox = yield* SandboxTest
          const ids = yield* realIds(sandbox)
          const before = yield* Effect.promise(() => snapshot(sandbox))
          const gets = testEndpoints.filter((e) => e.method === "GET")
          yield* Effect.promise(() =>
            fc.assert(
              fc.asyncProperty(
                fc.constantFrom(...gets),
                fc.array(fc.tuple(queryKey, queryValue), { maxLength: 4 }),
                async (endpoint, pairs) => {
                  const query = new URLSearchParams(
                    pairs.map(([k, v]): [string, string] => [k, v])
                  ).toString()
                  const path = `${fillPath(endpoint.path.split("?")[0] ?? endpoint.path, ids)}?${query}`
                  const reply = await send(sandbox, "GET", path)
                  expect(reply.status).toBeLessThan(500)
                  if (reply.status >= 400) expectRefusal(reply, { path })
                }
              ),
              { numRuns: 300 }
            )
          )
          expect(yield* Effect.promise(() => snapshot(sandbox))).toEqual(before)
        })
      )

      it.effect("random path ids to every endpoint with an id, with valid bodies", () =>
        Effect.gen(function* () {
          const sandbox = yield* SandboxTest
          const before = yield* Effect.promise(() => snapshot(sandbox))
          const withIds = testEndpoints.filter((e) => e.path.includes("{"))
          yield* Effect.promise(() =>
            fc.assert(
              fc.asyncProperty(
                fc.constantFrom(...withIds),
                pathId,
                fc.boolean(),
                async (endpoint, id, encode) => {
                  const value = encode ? encodeURIComponent(id) : id.replace(/[?#\s]/g, "_")
                  const path = endpoint.path.replace(/\{(org|key|visitor|config)\}/g, value)
                  const reply = await send(
                    sandbox,
                    endpoint.method,
                    path,
                    endpoint.body === undefined ? {} : { body: endpoint.body }
                  )
                  expectRefusal(reply, { endpoint: endpoint.name, path })
                  expect([400, 404]).toContain(reply.status)
                }
              ),
              { numRuns: 300 }
            )
          )
          expect(yield* Effect.promise(() => snapshot(sandbox))).toEqual(before)
        })
      )

      it.effect("a body over 1 MiB to any endpoint is 413, declared or chunked", () =>
        Effect.gen(function* () {
          const sandbox = yield* SandboxTest
          const ids = yield* realIds(sandbox)
          const before = yield* Effect.promise(() => snapshot(sandbox))
          const big = JSON.stringify({ name: "x".repeat(megabyte + 10) })
          for (const endpoint of testEndpoints.filter((e) => e.method !== "GET")) {
            const reply = yield* Effect.promise(() =>
              send(sandbox, endpoint.method, fillPath(endpoint.path, ids), {
                raw: big,
                headers: { "content-type": "application/json" }
              })
            )
            expect([endpoint.name, reply.status, field(reply.body, "code")]).toEqual([
              endpoint.name,
              413,
              "PayloadTooLarge"
            ])
          }
          const chunked = yield* Effect.promise(async () => {
            const chunk = new TextEncoder().encode("x".repeat(64 * 1024))
            let sent = 0
            const body = new ReadableStream<Uint8Array>({
              pull(controller) {
                if (sent >= 20) return controller.close()
                sent++
                controller.enqueue(chunk)
              }
            })
            const response = await fetch(`${sandbox.baseUrl}/partner/organizations`, {
              method: "POST",
              headers: {
                "x-partner-api-key": Redacted.value(sandbox.apiKey),
                "content-type": "application/json"
              },
              body,
              duplex: "half"
            } as RequestInit)
            return { status: response.status, body: (await response.json()) as unknown }
          })
          expect([chunked.status, field(chunked.body, "code")]).toEqual([413, "PayloadTooLarge"])
          const atLimit = yield* Effect.promise(() =>
            send(sandbox, "PUT", "/partner/branding", {
              raw: JSON.stringify({ companyName: "y".repeat(megabyte - 30) }),
              headers: { "content-type": "application/json" }
            })
          )
          expect(atLimit.status).toBe(400)
          expect(yield* Effect.promise(() => snapshot(sandbox))).toEqual(before)
        })
      )

      it.effect("unknown paths and methods are the 404 body", () =>
        Effect.gen(function* () {
          const sandbox = yield* SandboxTest
          for (const [method, path] of [
            ["PATCH", "/partner/me"],
            ["DELETE", "/partner/me"],
            ["GET", "/partner/organizations/"],
            ["GET", "//partner/me"],
            ["GET", "/partner"],
            ["POST", "/partner/billing"]
          ] as const) {
            const reply = yield* Effect.promise(() => send(sandbox, method, path))
            expect([method, path, reply.status, isErrorBody(reply.body)]).toEqual([method, path, 404, true])
          }
          const outside = yield* Effect.promise(() =>
            fetch(`${sandbox.origin}/nowhere`).then(async (r) => ({ status: r.status, body: await r.json() }))
          )
          expect([outside.status, isErrorBody(outside.body)]).toEqual([404, true])
        })
      )
    })
  })
