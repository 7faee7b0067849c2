import type { Organization } from "@bullseye-partner/core/Domain/Organization"
import { render } from "ink-testing-library"
import { describe, expect, it } from "vitest"
import { Table } from "../src/components/Table.js"
import { applyView } from "../src/screens/Organizations.js"

const orgs: ReadonlyArray<Organization> = Array.from({ length: 10_000 }, (_, i) => ({
  id: `org-${i}`,
  name: `Organization ${String(i).padStart(5, "0")}`,
  externalId: `ext-${i}`,
  status: i % 10 === 0 ? "suspended" : "active",
  tier: i % 3 === 0 ? "trial" : "paid",
  credits: 1000,
  creditsUsed: i % 1000,
  creditsAvailable: 1000 - (i % 1000),
  metadata: {},
  createdAt: new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString()
}))

const columns = [
  { title: "Name", width: 30, cell: (o: Organization) => o.name },
  { title: "Status", width: 9, cell: (o: Organization) => o.status }
]

describe("the organization table with 10,000 rows", () => {
  it("filters and sorts 10,000 organizations", () => {
    const rows = applyView(orgs, {
      filter: "organization 0",
      status: "active",
      tier: "paid",
      sort: "name",
      descending: false
    })
    expect(rows.length).toBeGreaterThan(0)
    expect(rows.every((o) => o.status === "active" && o.tier === "paid")).toBe(true)
    expect(rows.every((o) => o.name.toLowerCase().includes("organization 0"))).toBe(true)
    expect(rows.map((o) => o.name)).toEqual([...rows.map((o) => o.name)].sort())
  })

  // Its speed is measured by bench/tui, not here.
  it("renders only the visible rows wherever the cursor is", () => {
    const view = (cursor: number) => (
      <Table columns={columns} rows={orgs} cursor={cursor} height={20} rowKey={(o) => o.id} />
    )
    const app = render(view(0))
    const steps = 200
    for (let cursor = 1; cursor <= steps; cursor++) app.rerender(view(cursor * 37))
    const frame = app.lastFrame() ?? ""
    app.unmount()
    expect(frame.split("\n")).toHaveLength(21)
    expect(frame).toContain(`> Organization ${String(steps * 37).padStart(5, "0")}`)
  })
})
