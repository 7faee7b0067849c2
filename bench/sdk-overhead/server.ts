// A local Partner API stand-in answering GET /partner/organizations with a fixed page of 100.
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { pageBody, pageHeaders } from "./page.js"

const body = pageBody()

const server = createServer((req, res) => {
  if (!req.url?.startsWith("/api/v1/partner/organizations")) {
    res.writeHead(404, { "content-type": "application/json" })
    return void res.end(JSON.stringify({ code: "NotFound", message: "Not found", details: {} }))
  }
  res.writeHead(200, pageHeaders())
  res.end(body)
})
server.keepAliveTimeout = 60_000
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`)
})
process.on("SIGTERM", () => server.close(() => process.exit(0)))
