import type { IcpRules } from "@bullseye-partner/core/Domain/Icp"
import { Effect } from "effect"
import { Prng } from "../internal/Prng.js"
import type { DemoSize } from "../SeedOption.js"
import { addDays } from "../internal/time.js"
import { IcpConfigs } from "../Store/IcpConfigs.js"
import { Organizations } from "../Store/Organizations.js"
import { Partners, slugify } from "../Store/Partners.js"
import { Visitors } from "../Store/Visitors.js"
import { makeVisitor } from "./Identifications.js"

const names = [
  "Acme Corp",
  "Globex",
  "Initech",
  "Umbrella Health",
  "Stark Industries",
  "Wayne Enterprises",
  "Hooli",
  "Vandelay Imports",
  "Soylent Foods",
  "Tyrell Systems",
  "Wonka Retail",
  "Cyberdyne Labs"
]

const techRules: IcpRules = {
  groups: [
    {
      operator: "AND",
      conditions: [
        { type: "industry", comparator: "in", value: ["Technology", "SaaS"], optional: false },
        { type: "company_size", comparator: "gte", value: 50, optional: false }
      ]
    }
  ]
}

const engagedRules: IcpRules = {
  groups: [
    {
      operator: "OR",
      conditions: [
        { type: "page_contains", comparator: "eq", value: "/pricing", optional: false },
        { type: "session_count", comparator: "gte", value: 3, optional: false }
      ]
    }
  ]
}

/**
 * Adds demo organizations with allocations, pixels, ICP configs, visitors and sessions. The same
 * seed always yields the same data (ids included); instants are relative to `now`.
 */
export const seedDemo = Effect.fn("DemoSeed.seedDemo")(function* (
  partnerId: string,
  size: DemoSize,
  now: Date
) {
  const organizations = yield* Organizations
  const visitors = yield* Visitors
  const configs = yield* IcpConfigs
  const partners = yield* Partners
  const partner = yield* partners.get(partnerId)
  const prng = new Prng(size.seed)
  const periodStart = Date.parse(partner.billingPeriodStart)
  let poolLeft = partner.creditPoolTotal

  for (let i = 0; i < size.organizations; i++) {
    const base = names[i % names.length] ?? "Demo"
    const name = i < names.length ? base : `${base} ${Math.floor(i / names.length) + 1}`
    const tier = i % 4 === 3 && size.visitorsPerOrg <= 500 ? "trial" : "paid"
    const b2b = i % 5 !== 4
    const createdAt = addDays(now, -(size.organizations - i) - 30)
    const organizationId = prng.uuid()
    const identifiedAt = Array.from(
      { length: size.visitorsPerOrg },
      () => new Date(now.getTime() - prng.int(0, 30 * 86_400) * 1000)
    ).sort((a, b) => a.getTime() - b.getTime())
    const used = identifiedAt.filter((d) => d.getTime() >= periodStart).length
    const wanted = tier === "trial" ? 500 : prng.int(20, 60) * 100
    const credits = Math.max(used, Math.min(wanted, poolLeft))
    poolLeft -= credits
    const domain = `${slugify(name)}.example.com`
    yield* organizations.insert({
      id: organizationId,
      partnerId,
      name,
      externalId: `demo-${String(i + 1).padStart(3, "0")}`,
      ownerUserId: prng.chance(0.5) ? `user-${prng.int(1000, 9999)}` : null,
      status: i % 7 === 6 ? "suspended" : "active",
      tier,
      productType: b2b ? "B2B" : "B2C",
      billingPeriod: "monthly",
      billingDayOfMonth: 1,
      metadata: { source: "demo-seed", segment: prng.pick(["smb", "mid-market", "enterprise"]) },
      credits,
      creditsUsed: used,
      createdAt,
      pixelId: `px_${prng.uuid().replace(/-/g, "").slice(0, 20)}`,
      allowedDomains: [domain, `*.${domain}`],
      pixelEnabled: true
    })
    if (credits > 0) yield* organizations.recordQuietAllocation(partnerId, organizationId, credits, createdAt)
    const active = [
      yield* configs.create(
        organizationId,
        {
          id: prng.uuid(),
          name: "Tech companies with 50+ employees",
          rules: techRules,
          active: true,
          priority: 1
        },
        createdAt
      ),
      yield* configs.create(
        organizationId,
        { id: prng.uuid(), name: "Engaged visitors", rules: engagedRules, active: i % 2 === 0, priority: 2 },
        createdAt
      )
    ]
    for (const at of identifiedAt) {
      yield* visitors.insert(
        makeVisitor({
          prng,
          partnerId,
          organizationId,
          organizationName: name,
          allowedDomains: [domain],
          b2b,
          identifiedAt: at,
          configs: active,
          now
        })
      )
    }
  }
})
