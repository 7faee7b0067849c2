import { describe, expect, it } from "@effect/vitest"
import type { Plan } from "../src/Plan.js"
import { renderDiff } from "../src/PlanDiff.js"

const plan: Plan = {
  version: 1,
  createdAt: "2026-01-01T00:00:00Z",
  baseUrl: "http://127.0.0.1:4100/api/v1",
  organizationsSelected: 3,
  organizationsChanged: 2,
  requests: 6,
  rateLimitPerMinute: 1000,
  estimatedSeconds: 0.4,
  steps: [
    {
      id: "external:n-1#1:createOrganization",
      organization: { id: null, externalId: "n-1", name: "New" },
      action: { _tag: "createOrganization", payload: { name: "New", externalId: "n-1" } }
    },
    {
      id: "o1#2:allocateCredits",
      organization: { id: "o1", externalId: "a-1", name: "Acme" },
      action: { _tag: "allocateCredits", from: 10, to: 20, notes: "top-up" }
    },
    {
      id: "o1#3:deleteIcpConfig",
      organization: { id: "o1", externalId: "a-1", name: "Acme" },
      action: { _tag: "deleteIcpConfig", icpConfigId: "c1", name: "Legacy" }
    }
  ]
}

describe("PlanDiff", () => {
  it("groups steps per organization with +, ~ and - marks and a summary", () => {
    expect(renderDiff(plan, { color: false })).toBe(
      [
        "+ New (n-1)",
        '    create {"name":"New","externalId":"n-1"}',
        "~ Acme (a-1, o1)",
        "    credits 10 → 20 (top-up)",
        '    - delete ICP config "Legacy"',
        "3 steps on 2 of 3 organizations; 6 requests, about 0.4 s at 1000 requests/min.",
        ""
      ].join("\n")
    )
    expect(renderDiff(plan, { color: true })).toContain("\u001b[32m+ New (n-1)\u001b[0m")
    expect(renderDiff({ ...plan, steps: [] }, { color: false })).toBe(
      "No changes (3 organizations checked).\n"
    )
  })
})
