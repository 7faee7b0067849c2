import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Layer, Redacted } from "effect"
import { Organizations } from "../src/Organizations.js"
import * as PartnerClient from "../src/PartnerClient.js"
import { RateLimitGovernor } from "../src/RateLimitGovernor.js"
import { RetryPolicy } from "../src/RetryPolicy.js"
import * as UndiciHttpClient from "../src/UndiciHttpClient.js"
import { testServer, type Recorded, type Reply } from "./support/TestServer.js"

interface Org {
  readonly id: string
  readonly externalId: string
  readonly status: string
}

// A stateful stand-in for the organizations endpoints whose create can lose its answer after storing.
type CreateReply =
  "ok" | "reset-after" | "reset-before" | "conflict" | "html-500-after" | "html-500-before" | "garbled-after"

const htmlError = (status: number): Reply => ({
  status: 0,
  raw: (res) => {
    res.writeHead(status, { "content-type": "text/html" })
    res.end(`<html><body><h1>${status} Internal Server Error</h1></body></html>`)
  }
})

const fakeOrganizations = (createReplies: Array<CreateReply>) => {
  const orgs: Array<Org> = []
  let creates = 0
  const wire = (o: Org) => ({
    id: o.id,
    name: "Acme",
    externalId: o.externalId,
    status: o.status,
    tier: "trial",
    credits: 0,
    metadata: {},
    createdAt: "2025-01-15T10:00:00Z"
  })
  const handler = (request: Recorded): Reply => {
    const url = new URL(request.url, "http://x")
    if (request.method === "GET") {
      const externalId = url.searchParams.get("externalId")
      const found = orgs.filter((o) => externalId === null || o.externalId === externalId)
      return {
        status: 200,
        body: { organizations: found.map(wire), total: found.length, page: 1, pageSize: 100 }
      }
    }
    const mode = createReplies[creates++] ?? "ok"
    if (mode === "reset-before") return { status: 0, reset: true }
    if (mode === "html-500-before") return htmlError(500)
    if (mode === "conflict") {
      orgs.push({
        id: `org-${orgs.length + 1}`,
        externalId: JSON.parse(request.body).externalId,
        status: "active"
      })
      return { status: 409, body: { code: "Conflict", message: "Duplicate externalId", details: {} } }
    }
    const org = {
      id: `org-${orgs.length + 1}`,
      externalId: JSON.parse(request.body).externalId,
      status: "active"
    }
    orgs.push(org)
    if (mode === "html-500-after") return htmlError(500)
    if (mode === "garbled-after")
      return { status: 201, body: { organization: { ...wire(org), credits: "none" } } }
    return mode === "reset-after"
      ? { status: 0, reset: true }
      : { status: 201, body: { organization: wire(org) } }
  }
  return { handler, orgs, creates: () => creates }
}

const organizations = (baseUrl: string) =>
  Effect.gen(function* () {
    const governor = yield* RateLimitGovernor.make
    const layer = Organizations.Default.pipe(
      Layer.provide(
        PartnerClient.layer({
          baseUrl,
          apiKey: Redacted.make("pk_test_ensure"),
          governor,
          retryPolicy: RetryPolicy.make({ baseDelayMs: 1, maxDelayMs: 5 })
        })
      ),
      Layer.provide(UndiciHttpClient.layer)
    )
    return Context.get(yield* Layer.build(layer), Organizations)
  })

describe("Organizations.ensure", () => {
  it.scopedLive("creates once when nothing has the externalId", () =>
    Effect.gen(function* () {
      const fake = fakeOrganizations(["ok"])
      const orgs = yield* organizations((yield* testServer(fake.handler)).baseUrl)
      const result = yield* orgs.ensure({ name: "Acme", externalId: "acme-1" })
      expect(result.outcome).toBe("created")
      expect(fake.orgs).toHaveLength(1)
    })
  )

  it.scopedLive("returns the existing organization without creating", () =>
    Effect.gen(function* () {
      const fake = fakeOrganizations([])
      const orgs = yield* organizations((yield* testServer(fake.handler)).baseUrl)
      yield* orgs.ensure({ name: "Acme", externalId: "acme-1" })
      const again = yield* orgs.ensure({ name: "Acme", externalId: "acme-1" })
      expect(again.outcome).toBe("existed")
      expect(fake.creates()).toBe(1)
    })
  )

  it.scopedLive("a create whose answer was lost after storing is found by lookup, not created twice", () =>
    Effect.gen(function* () {
      const fake = fakeOrganizations(["reset-after"])
      const orgs = yield* organizations((yield* testServer(fake.handler)).baseUrl)
      const result = yield* orgs.ensure({ name: "Acme", externalId: "acme-1" })
      expect(result.outcome).toBe("recovered")
      expect(result.organization.id).toBe("org-1")
      expect(fake.creates()).toBe(1)
      expect(fake.orgs).toHaveLength(1)
    })
  )

  it.scopedLive("a create lost before storing is tried again after the lookup finds nothing", () =>
    Effect.gen(function* () {
      const fake = fakeOrganizations(["reset-before", "ok"])
      const orgs = yield* organizations((yield* testServer(fake.handler)).baseUrl)
      const result = yield* orgs.ensure({ name: "Acme", externalId: "acme-1" })
      expect(result.outcome).toBe("created")
      expect(fake.creates()).toBe(2)
      expect(fake.orgs).toHaveLength(1)
    })
  )

  it.scopedLive("a conflict from a concurrent creator returns the winner", () =>
    Effect.gen(function* () {
      const fake = fakeOrganizations(["conflict"])
      const orgs = yield* organizations((yield* testServer(fake.handler)).baseUrl)
      const result = yield* orgs.ensure({ name: "Acme", externalId: "acme-1" })
      expect(result.outcome).toBe("existed")
      expect(fake.orgs).toHaveLength(1)
    })
  )

  it.scopedLive("a create applied behind a proxy's HTML 500 is found by lookup, not created twice", () =>
    Effect.gen(function* () {
      const fake = fakeOrganizations(["html-500-after"])
      const orgs = yield* organizations((yield* testServer(fake.handler)).baseUrl)
      const result = yield* orgs.ensure({ name: "Acme", externalId: "acme-1" })
      expect([result.outcome, result.organization.id]).toEqual(["recovered", "org-1"])
      expect([fake.creates(), fake.orgs.length]).toEqual([1, 1])
    })
  )

  it.scopedLive("a 500 that did not apply the create is tried again once the lookup finds nothing", () =>
    Effect.gen(function* () {
      const fake = fakeOrganizations(["html-500-before", "ok"])
      const orgs = yield* organizations((yield* testServer(fake.handler)).baseUrl)
      const result = yield* orgs.ensure({ name: "Acme", externalId: "acme-1" })
      expect(result.outcome).toBe("created")
      expect([fake.creates(), fake.orgs.length]).toEqual([2, 1])
    })
  )

  it.scopedLive("an applied create whose answer does not decode is recovered by lookup, never repeated", () =>
    Effect.gen(function* () {
      const fake = fakeOrganizations(["garbled-after"])
      const orgs = yield* organizations((yield* testServer(fake.handler)).baseUrl)
      const result = yield* orgs.ensure({ name: "Acme", externalId: "acme-1" })
      expect([result.outcome, result.organization.id]).toEqual(["recovered", "org-1"])
      expect(fake.creates()).toBe(1)
    })
  )
})
