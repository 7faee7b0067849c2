// The strict conformance checker of core on the sandbox's real answers (which must conform: the sandbox is
// the reference implementation) and on answers a drift server changed the way the real API might.
import * as Conformance from "@bullseye-partner/core/Conformance"
import { describe, expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { SandboxTest } from "../src/SandboxTest.js"
import { demoSeed } from "../src/SeedOption.js"
import { Drift, driftServer, type DriftRule } from "./support/DriftServer.js"
import { field, request, type Reply } from "./support/Http.js"

const observed = (reply: Reply): Conformance.ObservedResponse => ({
  status: reply.status,
  headers: Object.fromEntries(reply.headers.entries()),
  body: reply.text
})

const fill = (template: string, ids: Readonly<Record<string, string>>) =>
  template.replace(/:(\w+)/g, (_, name: string) => ids[name] ?? "missing")

/** Ids of the demo data to fill path templates with. */
const demoIds = Effect.gen(function* () {
  const sandbox = yield* SandboxTest
  const get = (path: string) => request(sandbox.baseUrl, "GET", path, { key: sandbox.apiKey })
  // The oldest organization is one of the demo seed's, which all have visitors and ICP configs.
  const organizations = field((yield* get("/partner/organizations?pageSize=100")).body, "organizations")
  const organizationId = String(field(organizations, (organizations as Array<unknown>).length - 1, "id"))
  const visitors = yield* get(`/partner/organizations/${organizationId}/visitors`)
  const configs = yield* get(`/partner/organizations/${organizationId}/icp-configs`)
  return {
    organizationId,
    visitorId: String(field(visitors.body, "visitors", 0, "id")),
    icpConfigId: String(field(configs.body, "icpConfigs", 0, "id"))
  }
})

const reads = Conformance.endpoints.filter((e) => e.method === "GET")

/** Calls one read endpoint at `baseUrl` and checks the answer. */
const checkRead = (baseUrl: string, endpoint: Conformance.ContractEndpoint, ids: Record<string, string>) =>
  Effect.gen(function* () {
    const sandbox = yield* SandboxTest
    const query = endpoint.name === "calculate" ? "?usage=2500" : ""
    const reply = yield* request(baseUrl, "GET", `${fill(endpoint.path, ids)}${query}`, {
      key: sandbox.apiKey
    })
    return { status: reply.status, differences: endpoint.check(observed(reply)) }
  })

/** The differences of one drifted call, as the lines `describe` prints. */
const drifted = (
  rules: ReadonlyArray<DriftRule>,
  group: string,
  name: string,
  path: string,
  method = "GET",
  body?: unknown
) =>
  Effect.gen(function* () {
    const sandbox = yield* SandboxTest
    const drift = yield* driftServer(sandbox.baseUrl, rules)
    const reply = yield* request(drift.baseUrl, method, path, { key: sandbox.apiKey, body })
    const endpoint = Conformance.endpoints.find((e) => e.group === group && e.name === name)!
    return endpoint.check(observed(reply)).map(Conformance.describe)
  })

describe("Conformance", () => {
  layer(SandboxTest.layer({ seed: demoSeed({ organizations: 2, visitorsPerOrg: 2 }) }))((it) => {
    it.effect("every read endpoint of the sandbox conforms, the 404 of an unset domain included", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const ids = yield* demoIds
        const results = yield* Effect.forEach(reads, (endpoint) =>
          Effect.map(checkRead(sandbox.baseUrl, endpoint, ids), (r) => ({
            id: `${endpoint.group}.${endpoint.name}`,
            ...r
          }))
        )
        expect(results.length).toBe(18)
        expect(results.filter((r) => r.differences.length > 0)).toEqual([])
        expect(results.find((r) => r.id === "domains.verification")?.status).toBe(404)
      })
    )

    it.effect("the sandbox's writes and refusals conform (201, 400, 401, 404, 409)", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const post = (body: unknown, key: string = "") =>
          request(sandbox.baseUrl, "POST", "/partner/organizations", {
            key: key === "" ? sandbox.apiKey : key,
            body
          })
        const answers = [
          yield* post({ name: "Conforming", externalId: "conf-1" }),
          yield* post({ name: "Conforming", externalId: "conf-1" }),
          yield* post({ name: "" }),
          yield* post({ name: "x" }, "pk_test_wrong")
        ]
        const missing = yield* request(sandbox.baseUrl, "GET", "/partner/organizations/nope", {
          key: sandbox.apiKey
        })
        expect([...answers, missing].map((a) => a.status)).toEqual([201, 409, 400, 401, 404])
        for (const answer of answers)
          expect(Conformance.check("organizations", "create", observed(answer))).toEqual([])
        expect(Conformance.check("organizations", "get", observed(missing))).toEqual([])
      })
    )

    it.scoped("a 200 for a 201 is a status difference, nothing else", () =>
      Effect.gen(function* () {
        const lines = yield* drifted(
          [{ method: "POST", path: /^\/partner\/organizations$/, status: 200 }],
          "organizations",
          "create",
          "/partner/organizations",
          "POST",
          { name: "Drift 200", externalId: "conf-200" }
        )
        expect(lines).toEqual(["status: expected 201, found 200"])
      })
    )

    it.scoped(
      "a bare [decided] wrapper, a new field and an unknown status are each named with their path",
      () =>
        Effect.gen(function* () {
          const { organizationId } = yield* demoIds
          const lines = yield* drifted(
            [
              {
                method: "GET",
                path: /^\/partner\/organizations\/[^/]+$/,
                json: (b) => ({
                  ...(Drift.unwrap("organization")(b) as object),
                  status: "disabled",
                  region: "eu"
                })
              }
            ],
            "organizations",
            "get",
            `/partner/organizations/${organizationId}`
          )
          expect(lines).toEqual([
            'body: expected the body wrapped as {"organization": …}, found an object without "organization"',
            'organization.status: unknown value, expected one of active, canceled, suspended, found "disabled"',
            "organization.region: unknown field, expected no such field, found a string"
          ])
        })
    )

    it.scoped("a list with one unknown value, an ICP rule of an unknown type, and missing headers", () =>
      Effect.gen(function* () {
        const { organizationId } = yield* demoIds
        const list = yield* drifted(
          [
            {
              method: "GET",
              path: /^\/partner\/organizations$/,
              json: (b) => {
                const body = b as { organizations: Array<Record<string, unknown>> }
                return {
                  ...body,
                  organizations: body.organizations.map((o, i) =>
                    i === 1 ? { ...o, tier: "enterprise" } : o
                  )
                }
              },
              dropHeaders: ["X-RateLimit-Reset"]
            }
          ],
          "organizations",
          "list",
          "/partner/organizations"
        )
        expect(list).toEqual([
          "header X-RateLimit-Reset: expected a whole number, found missing",
          'organizations[1].tier: unknown value, expected one of trial, paid, found "enterprise"'
        ])
        const icp = yield* drifted(
          [
            {
              method: "GET",
              path: /\/icp-configs$/,
              json: (b) => {
                const body = b as {
                  icpConfigs: Array<{ rules: { groups: Array<{ conditions: Array<unknown> }> } }>
                }
                body.icpConfigs[0]!.rules.groups[0]!.conditions[0] = {
                  type: "company_revenue",
                  comparator: "gte",
                  value: { min: 1 }
                }
                return body
              }
            }
          ],
          "icpConfigs",
          "list",
          `/partner/organizations/${organizationId}/icp-configs`
        )
        expect(icp).toEqual([
          'icpConfigs[0].rules.groups[0].conditions[0].type: unknown value, expected one of utm_source, utm_medium, utm_campaign, utm_term, utm_content, page_contains, page_equals, industry, country, region, city, domain, job_title, linkedin_url, employee_size_range, company_name, page_view_count, session_count, last_seen_days, company_size, icp_score, icp_match, persona_match, found "company_revenue"',
          "icpConfigs[0].rules.groups[0].conditions[0].value: expected a string or a number or a boolean or an array, found an object"
        ])
      })
    )

    it.scoped("a proxy's HTML 502 and a 429 without Retry-After", () =>
      Effect.gen(function* () {
        const html = yield* drifted(
          [{ method: "GET", path: /^\/partner\/me$/, forward: false, reply: Drift.htmlError(502) }],
          "partner",
          "me",
          "/partner/me"
        )
        expect(html[0]).toMatch(/^status: expected one of .*500.*, found 502$/)
        expect(html.slice(1)).toEqual([
          "header X-RateLimit-Limit: expected a whole number, found missing",
          "header X-RateLimit-Remaining: expected a whole number, found missing",
          "header X-RateLimit-Reset: expected a whole number, found missing"
        ])
        const limited = yield* drifted(
          [
            {
              method: "GET",
              path: /^\/partner\/me$/,
              reply: {
                status: 429,
                headers: { "content-type": "application/json" },
                body: JSON.stringify({ code: "TooManyRequests", message: "Slow down", details: {} })
              }
            }
          ],
          "partner",
          "me",
          "/partner/me"
        )
        expect(limited).toEqual(["header Retry-After: expected a whole number, found missing"])
      })
    )
  })
})
