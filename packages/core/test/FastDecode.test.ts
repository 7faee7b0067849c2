import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, ParseResult, Redacted, Schema } from "effect"
import { OrganizationPage, VisitorPage } from "../src/Api/Organizations.js"
import { ApiKeyCreated } from "../src/Domain/ApiKey.js"
import { IcpRules } from "../src/Domain/Icp.js"
import { IcpConfig } from "../src/Domain/IcpConfig.js"
import { fastDecoder, successDecoder } from "../src/internal/fastDecode.js"
import { decidedWrapper } from "../src/Api/Endpoint.js"
import { Organization } from "../src/Domain/Organization.js"

const org = {
  id: "o1",
  name: "Acme",
  externalId: null,
  status: "active",
  tier: "paid",
  credits: 10,
  metadata: { plan: "gold" },
  createdAt: "2025-01-15T10:00:00Z",
  creditsUsed: 2
}
const page = { organizations: [org], total: 1, page: 1, pageSize: 20 }

const run = (schema: Schema.Schema.AnyNoContext, json: unknown) =>
  Effect.runSync(Effect.either(fastDecoder(schema.ast)(json)))
const reference = (schema: Schema.Schema.AnyNoContext, json: unknown) =>
  Schema.decodeUnknownEither(schema)(json)

describe("fastDecoder", () => {
  it("accepts a valid body exactly as the schema decode does", () => {
    expect(run(OrganizationPage, page)).toEqual(reference(OrganizationPage, page))
  })

  it("tolerates unknown fields, as the schema decode does", () => {
    const result = run(OrganizationPage, { ...page, organizations: [{ ...org, futureField: 1 }] })
    expect(Either.isRight(result)).toBe(true)
  })

  const invalid: Array<[string, unknown]> = [
    ["a missing required field", { ...page, organizations: [{ ...org, name: undefined }] }],
    ["a wrong type", { ...page, total: "1" }],
    ["a non-integer where an integer is required", { ...page, organizations: [{ ...org, credits: 1.5 }] }],
    ["a closed enum outside its values", { ...page, organizations: [{ ...org, tier: "gold" }] }],
    ["an empty id", { ...page, organizations: [{ ...org, id: "" }] }],
    ["null where an array is required", { ...page, organizations: null }],
    ["a wrong optional field", { ...page, organizations: [{ ...org, creditsUsed: "2" }] }]
  ]
  for (const [label, json] of invalid) {
    it(`refuses ${label} with the schema's own error`, () => {
      const fast = run(OrganizationPage, json)
      expect(Either.isLeft(fast)).toBe(true)
      const slow = reference(OrganizationPage, json)
      expect(Either.isLeft(slow) && Either.isLeft(fast) && String(fast.left)).toBe(
        Either.isLeft(slow) ? String(slow.left.issue) : "unexpected"
      )
    })
  }

  it("schemas with transformations go through the schema decode (the plain key becomes Redacted)", () => {
    const json = {
      apiKey: {
        id: "k",
        name: "n",
        keyPrefix: "pk_test_abc123",
        scopes: ["read"],
        status: "active",
        expiresAt: null,
        createdAt: "2025-01-01T00:00:00Z"
      },
      plainKey: "pk_test_abc"
    }
    const result = run(ApiKeyCreated, json)
    expect(
      Either.isRight(result) && Redacted.isRedacted((result.right as { plainKey: unknown }).plainKey)
    ).toBe(true)
  })

  const config = (condition: Record<string, unknown>) => ({
    id: "c",
    organizationId: "o",
    name: "n",
    active: true,
    priority: 1,
    createdAt: "x",
    updatedAt: "x",
    rules: { groups: [{ operator: "AND", conditions: [condition] }] }
  })

  it("schemas with custom refinements keep them (an ICP comparator not allowed for its type is refused)", () => {
    const rules = config({ type: "country", comparator: "gt", value: "US" }).rules
    expect(Either.isLeft(run(IcpRules, rules))).toBe(true)
  })

  it("returned ICP rules are open: a condition type and comparator it does not know decode as they are", () => {
    const condition = { type: "company_revenue", comparator: "between", value: { min: 1, max: 5 } }
    const result = run(IcpConfig, config(condition))
    expect(Either.isRight(result) && (result.right as IcpConfig).rules.groups[0]?.conditions[0]).toEqual({
      ...condition,
      optional: false
    })
  })

  it("keeps unknown fields on the schema decode path too (nested ones included)", () => {
    const result = run(IcpConfig, {
      ...config({ type: "country", comparator: "eq", value: "US", weight: 2 }),
      v2: 1
    })
    expect(Either.isRight(result) && result.right).toMatchObject({
      v2: 1,
      rules: { groups: [{ conditions: [{ weight: 2 }] }] }
    })
  })

  it("an organization status this SDK does not know decodes as it is (the fast path and the schema decode)", () => {
    const body = { ...page, organizations: [{ ...org, status: "disabled" }] }
    expect(run(OrganizationPage, body)).toEqual(reference(OrganizationPage, body))
    expect(Either.isRight(run(OrganizationPage, body))).toBe(true)
  })

  it("decodes a visitors page", () => {
    const visitors = { visitors: [], total: 0, page: 1, pageSize: 20 }
    expect(run(VisitorPage, visitors)).toEqual(reference(VisitorPage, visitors))
  })
})

describe("successDecoder", () => {
  const decode = (json: unknown) => Effect.runSync(Effect.either(successDecoder(OrganizationBody.ast)(json)))
  const OrganizationBody = decidedWrapper("organization", Organization)

  it("accepts a [decided] wrapper wrapped, and a bare object as if it came wrapped", () => {
    expect(decode({ organization: org })).toEqual(Either.right({ organization: org }))
    expect(decode(org)).toEqual(Either.right({ organization: org }))
  })

  it("a bare object that does not decode fails with the path under the wrapper", () => {
    const result = decode({ ...org, credits: "x" })
    expect(Either.isLeft(result) && ParseResult.ArrayFormatter.formatIssueSync(result.left)[0]?.path).toEqual(
      ["organization", "credits"]
    )
  })

  it("a documented wrapper stays required", () => {
    const documented = Schema.Struct({ partner: Schema.Struct({ id: Schema.String }) })
    const result = Effect.runSync(Effect.either(successDecoder(documented.ast)({ id: "p" })))
    expect(Either.isLeft(result)).toBe(true)
  })
})
