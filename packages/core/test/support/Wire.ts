/** An organization as the API sends it, for scripted servers. */
export const organization = {
  id: "org-1",
  name: "Acme",
  externalId: "acme-1",
  status: "active",
  tier: "paid",
  credits: 10,
  metadata: {},
  createdAt: "2025-01-15T10:00:00Z"
}
