import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import { formatProblem } from "../src/internal/problems.js"
import { parseSpec } from "../src/Spec.js"

const problems = (text: string) => {
  const result = parseSpec(text)
  return Either.isLeft(result) ? result.left.map(formatProblem) : []
}

describe("Spec", () => {
  it("decodes the documented example", () => {
    const result = parseSpec(`
select:
  status: [active]
  tier: [paid]
  externalIdPrefix: "acme-"
  metadata: { plan: gold }
actions:
  - allocateCredits: { credits: 2000, notes: "Q1 top-up" }
  - setTier: paid
  - setStatus: suspended
  - mergeMetadata: { segment: enterprise }
  - setPixel: { allowedDomains: [acme.com, www.acme.com], enabled: true }
  - upsertIcpConfig:
      name: Enterprise
      rules: { groups: [{ operator: AND, conditions: [{ type: country, comparator: eq, value: US }] }] }
      active: true
      priority: 1
  - deleteIcpConfig: { name: Legacy }
provision:
  - { name: Acme, externalId: acme-1, tier: paid, initialCredits: 500, productType: B2B }
`)
    expect(Either.isRight(result)).toBe(true)
    if (Either.isRight(result)) {
      expect(result.right.actions.map((a) => a._tag)).toEqual([
        "allocateCredits",
        "setTier",
        "setStatus",
        "mergeMetadata",
        "setPixel",
        "upsertIcpConfig",
        "deleteIcpConfig"
      ])
      expect(result.right.provision[0]?.externalId).toBe("acme-1")
    }
  })

  it("accepts JSON", () => {
    expect(Either.isRight(parseSpec(`{"actions":[{"setTier":"paid"}]}`))).toBe(true)
  })

  it("lists every problem with its location", () => {
    expect(
      problems(`
select:
  status: [gone]
  colour: red
actions:
  - allocateCredits: { credits: -5 }
  - setTier: gold
  - frobnicate: {}
  - { setTier: paid, setStatus: active }
  - setPixel: { allowedDomains: ["https://acme.com"] }
provision:
  - { name: "", externalId: a }
  - { name: B, externalId: a, initialCredits: 1.5 }
`)
    ).toEqual([
      "select.colour: unknown field",
      "select.status[0]: expected one of active, canceled, suspended",
      "actions[0].allocateCredits.credits: expected an integer >= 0",
      "actions[1].setTier: expected one of trial, paid",
      "actions[2].frobnicate: unknown action (known: allocateCredits, setTier, setStatus, mergeMetadata, setPixel, upsertIcpConfig, deleteIcpConfig)",
      "actions[3]: expected an object with exactly one of allocateCredits, setTier, setStatus, mergeMetadata, setPixel, upsertIcpConfig, deleteIcpConfig",
      "actions[4].setPixel.allowedDomains[0]: expected a bare lowercase hostname, *. prefix allowed",
      "provision[0].name: expected a name of 1..255 characters",
      "provision[1].initialCredits: expected an integer >= 0"
    ])
  })

  it("reports duplicate externalIds, bad ICP rules and YAML errors", () => {
    expect(
      problems(`
actions:
  - upsertIcpConfig: { name: X, rules: { groups: [{ operator: AND, conditions: [{ type: country, comparator: gt, value: US }] }] } }
provision:
  - { name: A, externalId: a }
  - { name: B, externalId: a }
`)
    ).toEqual([
      'actions[0].upsertIcpConfig.rules.groups[0].conditions[0].value: comparator "gt" is not allowed for type "country" (allowed: eq, neq, in, not_in, contains, not_contains, starts_with)',
      'provision[1].externalId: duplicate externalId "a" (first at provision[0].externalId)'
    ])
    // One line: the parser's problem and position, without the dangling colon of its excerpt.
    expect(problems("actions: [")[0]).toMatch(/^not valid YAML or JSON: [^\n]*line \d+, column \d+$/)
    expect(problems("select: {}")).toEqual(["nothing to do: give actions, provision or provisionCsv"])
  })
})
