/** Every endpoint with the scope README.md's table assigns it (kept independent of the implementation). */
export interface TestEndpoint {
  readonly name: string
  readonly method: "GET" | "POST" | "PUT" | "DELETE"
  /** With `{org}`, `{key}`, `{visitor}`, `{config}` placeholders. */
  readonly path: string
  readonly scope: "read" | "write" | "admin"
  /** A body the endpoint accepts. */
  readonly body?: unknown
}

export const testEndpoints: ReadonlyArray<TestEndpoint> = [
  { name: "partner.me", method: "GET", path: "/partner/me", scope: "read" },
  { name: "partner.scriptConfig", method: "GET", path: "/partner/script-config", scope: "read" },
  { name: "apiKeys.list", method: "GET", path: "/partner/api-keys", scope: "admin" },
  {
    name: "apiKeys.create",
    method: "POST",
    path: "/partner/api-keys",
    scope: "admin",
    body: { name: "matrix" }
  },
  { name: "apiKeys.revoke", method: "DELETE", path: "/partner/api-keys/{key}", scope: "admin" },
  { name: "organizations.list", method: "GET", path: "/partner/organizations", scope: "read" },
  {
    name: "organizations.create",
    method: "POST",
    path: "/partner/organizations",
    scope: "write",
    body: { name: "Matrix Org" }
  },
  { name: "organizations.get", method: "GET", path: "/partner/organizations/{org}", scope: "read" },
  {
    name: "organizations.update",
    method: "PUT",
    path: "/partner/organizations/{org}",
    scope: "write",
    body: { name: "Renamed" }
  },
  { name: "organizations.delete", method: "DELETE", path: "/partner/organizations/{org}", scope: "write" },
  {
    name: "organizations.setStatus",
    method: "PUT",
    path: "/partner/organizations/{org}/status",
    scope: "write",
    body: { status: "active" }
  },
  {
    name: "organizations.setTier",
    method: "PUT",
    path: "/partner/organizations/{org}/tier",
    scope: "write",
    body: { tier: "paid" }
  },
  {
    name: "organizations.allocateCredits",
    method: "PUT",
    path: "/partner/organizations/{org}/credits",
    scope: "admin",
    body: { credits: 10 }
  },
  {
    name: "organizations.getPixel",
    method: "GET",
    path: "/partner/organizations/{org}/pixel",
    scope: "read"
  },
  {
    name: "organizations.updatePixel",
    method: "PUT",
    path: "/partner/organizations/{org}/pixel",
    scope: "write",
    body: { enabled: true }
  },
  {
    name: "organizations.listVisitors",
    method: "GET",
    path: "/partner/organizations/{org}/visitors",
    scope: "read"
  },
  {
    name: "organizations.getVisitor",
    method: "GET",
    path: "/partner/organizations/{org}/visitors/{visitor}",
    scope: "read"
  },
  { name: "icpConfigs.list", method: "GET", path: "/partner/organizations/{org}/icp-configs", scope: "read" },
  {
    name: "icpConfigs.create",
    method: "POST",
    path: "/partner/organizations/{org}/icp-configs",
    scope: "write",
    body: {
      name: "ICP",
      rules: {
        groups: [{ operator: "AND", conditions: [{ type: "industry", comparator: "eq", value: "SaaS" }] }]
      }
    }
  },
  {
    name: "icpConfigs.get",
    method: "GET",
    path: "/partner/organizations/{org}/icp-configs/{config}",
    scope: "read"
  },
  {
    name: "icpConfigs.update",
    method: "PUT",
    path: "/partner/organizations/{org}/icp-configs/{config}",
    scope: "write",
    body: { active: false }
  },
  {
    name: "icpConfigs.delete",
    method: "DELETE",
    path: "/partner/organizations/{org}/icp-configs/{config}",
    scope: "write"
  },
  { name: "webhooks.get", method: "GET", path: "/partner/webhooks", scope: "read" },
  {
    name: "webhooks.updateIdentification",
    method: "PUT",
    path: "/partner/webhooks/identification",
    scope: "write",
    body: { enabled: false }
  },
  {
    name: "webhooks.updateBilling",
    method: "PUT",
    path: "/partner/webhooks/billing",
    scope: "write",
    body: { enabled: false }
  },
  {
    name: "webhooks.test",
    method: "POST",
    path: "/partner/webhooks/test",
    scope: "write",
    body: { type: "billing" }
  },
  { name: "webhooks.logs", method: "GET", path: "/partner/webhooks/logs", scope: "read" },
  { name: "billing.get", method: "GET", path: "/partner/billing", scope: "admin" },
  { name: "billing.usage", method: "GET", path: "/partner/billing/usage", scope: "admin" },
  { name: "billing.calculate", method: "GET", path: "/partner/billing/calculate?usage=10", scope: "admin" },
  {
    name: "branding.update",
    method: "PUT",
    path: "/partner/branding",
    scope: "write",
    body: { primaryColor: "#112233" }
  },
  {
    name: "domains.set",
    method: "PUT",
    path: "/partner/domain",
    scope: "write",
    body: { domain: "track.example.org" }
  },
  { name: "domains.verification", method: "GET", path: "/partner/domain/verification", scope: "read" },
  { name: "domains.verify", method: "POST", path: "/partner/domain/verify", scope: "write" },
  { name: "analytics.get", method: "GET", path: "/partner/analytics", scope: "read" },
  { name: "analytics.usage", method: "GET", path: "/partner/usage", scope: "read" }
]

/** Replaces the placeholders with the given ids (unknown ones become a fresh id that exists nowhere). */
export const fillPath = (
  path: string,
  ids: Partial<Record<"org" | "key" | "visitor" | "config", string>> = {}
): string =>
  path.replace(/\{(org|key|visitor|config)\}/g, (_, name: "org" | "key" | "visitor" | "config") =>
    encodeURIComponent(ids[name] ?? "00000000-0000-4000-8000-000000000000")
  )
