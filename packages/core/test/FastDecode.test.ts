import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Redacted, Schema } from "effect"
import { OrganizationPage, VisitorPage } from "../src/Api/Organizations.js"
import { ApiKeyCreated } from "../src/Domain/ApiKey.js"
import { IcpConfig } from "../src/Domain/IcpConfig.js"
import { fastDecoder } from "../src/internal/fastDecode.js"

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

  it("schemas with custom refinements keep them (an ICP comparator not allowed for its type is refused)", () => {
    const config = {
      id: "c",
      organizationId: "o",
      name: "n",
      active: true,
      priority: 1,
      createdAt: "x",
      updatedAt: "x",
      rules: {
        groups: [{ operator: "AND", conditions: [{ type: "country", comparator: "gt", value: "US" }] }]
      }
    }
    expect(Either.isLeft(run(IcpConfig, config))).toBe(true)
  })

  it("decodes a visitors page", () => {
    const visitors = { visitors: [], total: 0, page: 1, pageSize: 20 }
    expect(run(VisitorPage, visitors)).toEqual(reference(VisitorPage, visitors))
  })
})
