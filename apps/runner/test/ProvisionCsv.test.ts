import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import { formatProblem } from "../src/internal/problems.js"
import { parseProvisionCsv } from "../src/ProvisionCsv.js"

describe("ProvisionCsv", () => {
  it("parses rows with typed cells and metadata columns", () => {
    const result = parseProvisionCsv(
      "name,externalId,tier,initialCredits,metadata.plan,metadata.seats\nAcme,acme-1,paid,500,gold,12\nBeta,beta-1,,,,\n",
      "orgs.csv"
    )
    expect(result).toEqual(
      Either.right([
        {
          name: "Acme",
          externalId: "acme-1",
          tier: "paid",
          initialCredits: 500,
          metadata: { plan: "gold", seats: 12 }
        },
        { name: "Beta", externalId: "beta-1" }
      ])
    )
  })

  it("locates every bad row and cell", () => {
    const result = parseProvisionCsv(
      'name,externalId,tier,initialCredits\nAcme,acme-1,gold,10\n,x,paid,-1\n"Quoted, Inc",acme-1,trial,0\nshort,row\n',
      "orgs.csv"
    )
    expect(Either.isLeft(result) ? result.left.map(formatProblem) : []).toEqual([
      "orgs.csv:2.tier: expected one of trial, paid",
      "orgs.csv:3.name: is required",
      "orgs.csv:3.initialCredits: expected an integer >= 0",
      "orgs.csv:5: expected 4 cells, found 2"
    ])
  })

  it("rejects unknown and missing columns", () => {
    const result = parseProvisionCsv("name,colour\nA,red\n", "o.csv")
    expect(Either.isLeft(result) ? result.left.map(formatProblem) : []).toEqual([
      'o.csv:1.column 2: unknown column "colour" (known: name, externalId, tier, initialCredits, productType, billingPeriod, billingDayOfMonth, ownerUserId, metadata.<key>)',
      'o.csv:1: missing column "externalId"'
    ])
  })
})
