// A local Partner API stand-in answering GET /partner/organizations with a fixed page of 100.
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"

const organizations = Array.from({ length: 100 }, (_, i) => ({
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
const body = JSON.stringify({ organizations, total: 200_000, page: 1, pageSize: 100 })

const server = createServer((req, res) => {
  if (!req.url?.startsWith("/api/v1/partner/organizations")) {
    res.writeHead(404, { "content-type": "application/json" })
    return void res.end(JSON.stringify({ code: "NotFound", message: "Not found", details: {} }))
  }
  res.writeHead(200, {
    "content-type": "application/json",
    "x-ratelimit-limit": "1000000",
    "x-ratelimit-remaining": "999999",
    "x-ratelimit-reset": String(Math.ceil(Date.now() / 1000) + 60),
    date: new Date().toUTCString()
  })
  res.end(body)
})
server.keepAliveTimeout = 60_000
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`)
})
process.on("SIGTERM", () => server.close(() => process.exit(0)))
