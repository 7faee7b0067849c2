import { describe, expect, layer } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { SandboxTest, type SandboxHandle } from "../../src/SandboxTest.js"
import { client } from "../support/Client.js"
import { field, isErrorBody, request } from "../support/Http.js"

const rawControl = (
  sandbox: SandboxHandle,
  method: string,
  path: string,
  token: string | undefined,
  body?: unknown
) =>
  Effect.promise(async () => {
    const response = await fetch(`${sandbox.origin}/_sandbox${path}`, {
      method,
      headers: {
        ...(token === undefined ? {} : { "x-sandbox-token": token }),
        "content-type": "application/json"
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) })
    })
    return { status: response.status, body: (await response.json()) as unknown }
  })

const attempt = (sandbox: SandboxHandle, method: string, path: string, body?: unknown) =>
  Effect.promise(async () => {
    try {
      const response = await fetch(`${sandbox.baseUrl}${path}`, {
        method,
        headers: { "x-partner-api-key": Redacted.value(sandbox.apiKey), "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) })
      })
      return { status: response.status, headers: response.headers, body: (await response.json()) as unknown }
    } catch {
      return { status: 0, headers: new Headers(), body: undefined }
    }
  })

describe("control plane", () => {
  layer(SandboxTest.layer({ settings: { rateLimit: 1_000_000 } }), {
    excludeTestServices: true,
    timeout: 60_000
  })((it) => {
    it.effect("needs the token; refusals use the error body", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        for (const token of [undefined, "", "wrong", `${Redacted.value(sandbox.controlToken)}x`]) {
          const reply = yield* rawControl(sandbox, "POST", "/reset", token, {})
          expect([reply.status, isErrorBody(reply.body)]).toEqual([401, true])
        }
        const token = Redacted.value(sandbox.controlToken)
        const bad = yield* rawControl(sandbox, "POST", "/identifications", token, { count: 0, extra: 1 })
        expect([bad.status, field(bad.body, "code")]).toEqual([400, "BadRequest"])
        const unknown = yield* rawControl(sandbox, "GET", "/nothing", token)
        expect([unknown.status, isErrorBody(unknown.body)]).toEqual([404, true])
        const faults = yield* rawControl(sandbox, "PUT", "/faults", token, { rate500: 0.7, rate503: 0.7 })
        expect(faults.status).toBe(400)
      })
    )

    it.effect("identifications spend credits, stop at suspension, exhaustion and the per-period cap", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const partner = yield* sandbox.createPartner({ maxIdentificationsPerOrg: 3 })
        const api = client(sandbox, partner.apiKey)
        const create = (name: string, credits: number) =>
          api
            .post("/partner/organizations", { name, tier: "paid", initialCredits: credits })
            .pipe(Effect.map((r) => String(field(r.body, "organization", "id"))))
        const small = yield* create("Small", 2)
        const capped = yield* create("Capped", 100)
        const suspended = yield* create("Suspended", 100)
        yield* api.put(`/partner/organizations/${suspended}/status`, { status: "suspended" })
        const result = yield* sandbox.control("POST", "/identifications", {
          partnerId: partner.partnerId,
          count: 20
        })
        expect(field(result, "identified")).toBe(5)
        const byOrg = Object.fromEntries(
          (
            field(result, "organizations") as ReadonlyArray<{
              organizationId: string
              identified: number
              stoppedBecause: string | null
            }>
          ).map((o) => [o.organizationId, [o.identified, o.stoppedBecause]])
        )
        expect(byOrg).toEqual({
          [small]: [2, "out_of_credits"],
          [capped]: [3, "identification_cap"],
          [suspended]: [0, "organization_suspended"]
        })
        const org = field((yield* api.get(`/partner/organizations/${small}`)).body, "organization")
        expect(org).toMatchObject({ creditsUsed: 2, creditsAvailable: 0 })
        const pixel = yield* api.get(`/partner/organizations/${capped}/pixel`)
        expect(field(pixel.body, "pixel", "lastEventAt")).toEqual(expect.any(String))
      })
    )

    it.effect("faults: 500, 503 and 429 with headers, before the handler so nothing changes; seeded", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const api = client(sandbox)
        const count = () =>
          api.get("/partner/organizations").pipe(Effect.map((r) => Number(field(r.body, "total"))))
        const before = yield* count()
        for (const [rates, status, code] of [
          [{ rate500: 1 }, 500, "InternalError"],
          [{ rate503: 1 }, 503, "InternalError"],
          [{ rate429: 1 }, 429, "TooManyRequests"]
        ] as const) {
          yield* sandbox.control("PUT", "/faults", { ...rates, routes: ["POST /partner/organizations"] })
          const reply = yield* attempt(sandbox, "POST", "/partner/organizations", { name: "Faulted" })
          expect([reply.status, field(reply.body, "code"), isErrorBody(reply.body)]).toEqual([
            status,
            code,
            true
          ])
          expect(reply.headers.get("x-ratelimit-limit")).toBe("1000000")
          if (status === 429) expect(Number(reply.headers.get("retry-after"))).toBeGreaterThan(0)
          expect((yield* api.get("/partner/me")).status).toBe(200)
        }
        yield* sandbox.control("PUT", "/faults", { rateReset: 1, routes: ["POST /partner/organizations"] })
        const reset = yield* attempt(sandbox, "POST", "/partner/organizations", { name: "Reset" })
        expect(reset.status).toBe(0)
        expect(yield* count()).toBe(before)
        yield* sandbox.control("PUT", "/faults", {
          rateReset: 1,
          afterHandler: true,
          routes: ["POST /partner/organizations"]
        })
        const afterHandler = yield* attempt(sandbox, "POST", "/partner/organizations", {
          name: "Written anyway"
        })
        expect(afterHandler.status).toBe(0)
        yield* sandbox.control("DELETE", "/faults")
        expect(yield* count()).toBe(before + 1)
        const written = yield* api.get("/partner/organizations?search=Written%20anyway")
        expect(field(written.body, "total")).toBe(1)

        const run = () =>
          Effect.gen(function* () {
            yield* sandbox.control("PUT", "/faults", { seed: 7, rate500: 0.5, routes: ["GET /partner/me"] })
            const statuses: Array<number> = []
            for (let i = 0; i < 12; i++) statuses.push((yield* api.get("/partner/me")).status)
            return statuses
          })
        const first = yield* run()
        expect(new Set(first)).toEqual(new Set([200, 500]))
        expect(yield* run()).toEqual(first)
        yield* sandbox.control("PUT", "/faults", { latencyMs: { min: 150, max: 150 } })
        const started = Date.now()
        expect((yield* api.get("/partner/me")).status).toBe(200)
        expect(Date.now() - started).toBeGreaterThanOrEqual(140)
        yield* sandbox.control("DELETE", "/faults")
        expect(field(yield* sandbox.control("GET", "/faults"), "faults")).toBeNull()
      })
    )

    it.effect("the clock closes billing periods: usage is kept, used credits renew, keys expire", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const partner = yield* sandbox.createPartner()
        const api = client(sandbox, partner.apiKey)
        const org = String(
          field(
            (yield* api.post("/partner/organizations", { name: "Clocked", tier: "paid", initialCredits: 10 }))
              .body,
            "organization",
            "id"
          )
        )
        yield* sandbox.control("POST", "/identifications", { partnerId: partner.partnerId, count: 4 })
        const start = String(field((yield* api.get("/partner/billing")).body, "billingPeriodStart"))
        const key = yield* api.post("/partner/api-keys", {
          name: "short",
          expiresAt: new Date(Date.now() + 86_400_000).toISOString()
        })
        const moved = yield* sandbox.control("POST", "/clock", { days: 40 })
        const closed = (
          field(moved, "closedPeriods") as ReadonlyArray<{
            partnerId: string
            usage: { periodStart: string; identifications: number }
          }>
        ).filter((p) => p.partnerId === partner.partnerId)
        expect(closed.length).toBeGreaterThanOrEqual(1)
        expect(closed[0]!.usage).toMatchObject({ periodStart: start, identifications: 4 })
        expect(field((yield* api.get(`/partner/organizations/${org}`)).body, "organization")).toMatchObject({
          credits: 10,
          creditsUsed: 0
        })
        const info = yield* api.get("/partner/billing")
        expect(String(field(info.body, "billingPeriodStart")) > start).toBe(true)
        expect(field((yield* api.get("/partner/billing/usage")).body, "identifications")).toBe(0)
        const periods = yield* sandbox.control("GET", `/billing-periods?partnerId=${partner.partnerId}`)
        expect((field(periods, "periods") as ReadonlyArray<unknown>).length).toBe(closed.length)
        const expired = yield* request(sandbox.baseUrl, "GET", "/partner/me", {
          key: String(field(key.body, "plainKey"))
        })
        expect(expired.status).toBe(401)
      })
    )

    it.effect("reset wipes everything, seeds deterministically and returns a new key", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const names = (key: Redacted.Redacted<string>) =>
          client(sandbox, key)
            .get("/partner/organizations?pageSize=100")
            .pipe(
              Effect.map((r) =>
                (field(r.body, "organizations") as ReadonlyArray<{ id: string; name: string }>).map(
                  (o) => `${o.id} ${o.name}`
                )
              )
            )
        const first = yield* sandbox.reset({ seed: 3, organizations: 3, visitorsPerOrg: 2 })
        const a = yield* names(first.apiKey)
        expect(a.length).toBe(3)
        expect((yield* request(sandbox.baseUrl, "GET", "/partner/me", { key: sandbox.apiKey })).status).toBe(
          401
        )
        const second = yield* sandbox.reset({ seed: 3, organizations: 3, visitorsPerOrg: 2 })
        expect(yield* names(second.apiKey)).toEqual(a)
        expect(Redacted.value(second.apiKey)).not.toBe(Redacted.value(first.apiKey))
        const other = yield* sandbox.reset({ seed: 4, organizations: 3, visitorsPerOrg: 2 })
        expect(yield* names(other.apiKey)).not.toEqual(a)
        const empty = yield* sandbox.reset({ seed: "empty" })
        expect(yield* names(empty.apiKey)).toEqual([])
        const me = yield* request(sandbox.baseUrl, "GET", "/partner/me", { key: empty.apiKey })
        expect(field(me.body, "partner", "name")).toBe("Demo Partner")
      })
    )
  })
})
