import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { formatRules, parseRules } from "../src/IcpRulesText.js"

describe("the ICP rule editor's syntax", () => {
  it("parses groups, operators, lists and optional conditions, and formats them back", () => {
    const text =
      "industry in Technology,Software && company_size gte 50 || ?country eq US ; session_count gt 2"
    const parsed = parseRules(text)
    expect(Either.isRight(parsed)).toBe(true)
    if (Either.isLeft(parsed)) return
    expect(parsed.right.groups).toHaveLength(2)
    expect(parsed.right.groups[0]).toMatchObject({
      operator: "AND",
      conditions: [
        { type: "industry", comparator: "in", value: ["Technology", "Software"], optional: false },
        { type: "company_size", comparator: "gte", value: 50, optional: false }
      ]
    })
    expect(parsed.right.groups[1]?.operator).toBe("OR")
    expect(parsed.right.groups[1]?.conditions[0]).toMatchObject({ type: "country", optional: true })
    expect(formatRules(parsed.right)).toBe(text)
  })

  it("explains the first problem", () => {
    expect(parseRules("")).toEqual(Either.left("Write at least one condition"))
    expect(parseRules("colour eq red")).toEqual(Either.left('Unknown condition type "colour"'))
    expect(Either.isLeft(parseRules("company_size contains 5"))).toBe(true)
    expect(parseRules("company_size gte many")).toEqual(Either.left('"company_size" needs number values'))
  })
})
