// The page both the local server and the in-process breakdown answer with: 100 organizations with every
// documented and decided field.
const organizations = (count: number) =>
  Array.from({ length: count }, (_, i) => ({
    id: `9b2f4c1e-5d6a-4f7b-8c9d-${String(i).padStart(12, "0")}`,
    name: `Client Organization ${i}`,
    externalId: `client-${i}`,
    status: i % 10 === 0 ? "suspended" : "active",
    tier: i % 3 === 0 ? "trial" : "paid",
    credits: 1000 + i,
    metadata: { segment: "smb", seats: i },
    createdAt: "2025-01-15T10:00:00Z",
    creditsUsed: i,
    creditsAvailable: 1000,
    productType: "B2B",
    billingPeriod: "monthly",
    billingDayOfMonth: 1,
    ownerUserId: null,
    updatedAt: "2025-01-16T10:00:00Z",
    canceledAt: null
  }))

/** The body of `GET /partner/organizations?pageSize=100`, as JSON text. */
export const pageBody = (count = 100) =>
  JSON.stringify({ organizations: organizations(count), total: 200_000, page: 1, pageSize: 100 })

/** The headers of that answer: a budget that never runs out, and the server's clock. */
export const pageHeaders = () => ({
  "content-type": "application/json",
  "x-ratelimit-limit": "1000000",
  "x-ratelimit-remaining": "999999",
  "x-ratelimit-reset": String(Math.ceil(Date.now() / 1000) + 60),
  date: new Date().toUTCString()
})
