import type { IcpRules } from "@bullseye-partner/core/Domain/Icp"
import type { IcpConfig } from "@bullseye-partner/core/Domain/IcpConfig"
import type { Organization } from "@bullseye-partner/core/Domain/Organization"
import { describe, expect, it } from "@effect/vitest"
import { makeSteps, matches, type CurrentState } from "../src/Planner.js"

const org = (id: string, overrides: Partial<Organization> = {}): Organization => ({
  id,
  name: `Org ${id}`,
  externalId: `ext-${id}`,
  status: "active",
  tier: "paid",
  credits: 100,
  metadata: {},
  createdAt: "2026-01-01T00:00:00Z",
  ...overrides
})

const state = (
  organizations: ReadonlyArray<Organization>,
  extra: Partial<CurrentState> = {}
): CurrentState => ({
  organizations,
  pixels: new Map(),
  icpConfigs: new Map(),
  ...extra
})

const rules: IcpRules = {
  groups: [
    { operator: "AND", conditions: [{ type: "country", comparator: "eq", value: "US", optional: false }] }
  ]
}

describe("Planner", () => {
  it("selects with every condition AND-ed and leaves canceled organizations out by default", () => {
    const a = org("a", { metadata: { plan: "gold" }, name: "Acme Corp", externalId: "acme-1" })
    expect(matches({}, a)).toBe(true)
    expect(matches({}, org("c", { status: "canceled" }))).toBe(false)
    expect(matches({ status: ["canceled"] }, org("c", { status: "canceled" }))).toBe(true)
    expect(
      matches(
        { tier: ["paid"], externalIdPrefix: "acme-", nameContains: "CORP", metadata: { plan: "gold" } },
        a
      )
    ).toBe(true)
    expect(matches({ metadata: { plan: "silver" } }, a)).toBe(false)
    expect(matches({ externalIds: ["acme-2"] }, a)).toBe(false)
    expect(matches({ tier: ["trial"] }, a)).toBe(false)
  })

  it("plans only what would change, each step carrying its precondition", () => {
    const { steps, selected } = makeSteps(
      {
        select: {},
        actions: [
          { _tag: "allocateCredits", value: { credits: 500, notes: "top-up" } },
          { _tag: "setTier", value: "paid" },
          { _tag: "setStatus", value: "suspended" },
          { _tag: "mergeMetadata", value: { segment: "enterprise", old: null } }
        ],
        provision: []
      },
      state([
        org("a", { metadata: { old: 1 } }),
        org("b", { credits: 500, status: "suspended", metadata: { segment: "enterprise" } })
      ])
    )
    expect(selected).toBe(2)
    expect(steps.map((s) => [s.organization.id, s.action])).toEqual([
      ["a", { _tag: "allocateCredits", from: 100, to: 500, notes: "top-up" }],
      ["a", { _tag: "setStatus", from: "active", to: "suspended" }],
      ["a", { _tag: "setMetadata", from: { old: 1 }, to: { segment: "enterprise" } }]
    ])
  })

  it("chains actions on the same field through the simulated state", () => {
    const { steps } = makeSteps(
      {
        select: {},
        actions: [
          { _tag: "setTier", value: "trial" },
          { _tag: "setTier", value: "paid" }
        ],
        provision: []
      },
      state([org("a")])
    )
    expect(steps.map((s) => s.action)).toEqual([
      { _tag: "setTier", from: "paid", to: "trial" },
      { _tag: "setTier", from: "trial", to: "paid" }
    ])
  })

  it("upserts and deletes ICP configs by name and sets pixels", () => {
    const config = (id: string, name: string, priority: number): IcpConfig => ({
      id,
      organizationId: "a",
      name,
      active: true,
      priority,
      rules,
      createdAt: "2026-01-01T00:00:00Z",
      updatedAt: "2026-01-01T00:00:00Z"
    })
    const current = state([org("a"), org("b")], {
      pixels: new Map([
        ["a", { allowedDomains: ["acme.com"], enabled: true }],
        ["b", { allowedDomains: ["b.com"], enabled: false }]
      ]),
      icpConfigs: new Map([
        ["a", [config("c1", "Enterprise", 1), config("c2", "Legacy", 2)]],
        ["b", []]
      ])
    })
    const { steps } = makeSteps(
      {
        select: {},
        actions: [
          { _tag: "setPixel", value: { allowedDomains: ["acme.com"], enabled: true } },
          { _tag: "upsertIcpConfig", value: { name: "Enterprise", rules, priority: 3 } },
          { _tag: "deleteIcpConfig", value: { name: "Legacy" } }
        ],
        provision: []
      },
      current
    )
    expect(
      steps.map((s) => [s.organization.id, s.action._tag, "to" in s.action ? s.action.to : null])
    ).toEqual([
      ["a", "updateIcpConfig", { priority: 3 }],
      ["a", "deleteIcpConfig", null],
      ["b", "setPixel", { allowedDomains: ["acme.com"], enabled: true }],
      ["b", "createIcpConfig", null]
    ])
  })

  it("provisions by externalId: creates the missing, updates the differing, skips the equal", () => {
    const { steps } = makeSteps(
      {
        select: {},
        actions: [],
        provision: [
          { name: "New", externalId: "new-1", initialCredits: 10, billingPeriod: "annual" },
          { name: "Renamed", externalId: "ext-a", tier: "trial" },
          { name: "Org b", externalId: "ext-b" }
        ]
      },
      state([org("a"), org("b"), org("old", { externalId: "new-1", status: "canceled" })])
    )
    expect(steps.map((s) => [s.organization.externalId, s.action])).toEqual([
      [
        "new-1",
        {
          _tag: "createOrganization",
          payload: { name: "New", externalId: "new-1", initialCredits: 10, billingPeriod: "annually" }
        }
      ],
      ["ext-a", { _tag: "updateOrganization", from: { name: "Org a" }, to: { name: "Renamed" } }],
      ["ext-a", { _tag: "setTier", from: "paid", to: "trial" }]
    ])
  })

  it("starts the actions on a provisioned organization from the state provisioning leaves", () => {
    const { steps } = makeSteps(
      {
        select: { externalIds: ["ext-a"] },
        actions: [
          { _tag: "mergeMetadata", value: { segment: "smb" } },
          { _tag: "setTier", value: "paid" }
        ],
        provision: [{ name: "Org a", externalId: "ext-a", tier: "trial", metadata: { plan: "gold" } }]
      },
      state([org("a", { metadata: {} })])
    )
    expect(steps.map((s) => s.action)).toEqual([
      { _tag: "updateOrganization", from: { metadata: {} }, to: { metadata: { plan: "gold" } } },
      { _tag: "setTier", from: "paid", to: "trial" },
      { _tag: "setMetadata", from: { plan: "gold" }, to: { plan: "gold", segment: "smb" } },
      { _tag: "setTier", from: "trial", to: "paid" }
    ])
  })
})
