// The page both the local server and the in-process breakdown answer with: 100 organizations with every
// documented and decided field.
export const organizations = (count = 100) =>
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
