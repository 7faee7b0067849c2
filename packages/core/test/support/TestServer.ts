import { Effect } from "effect"
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"

export interface Recorded {
  readonly method: string
  readonly url: string
  readonly headers: IncomingHttpHeaders
  readonly body: string
}

export interface Reply {
  readonly status: number
  readonly body?: unknown
  readonly headers?: Record<string, string>
  /** Destroy the socket without answering. */
  readonly reset?: boolean
  /** Never answer. */
  readonly hang?: boolean
  /** Answer by hand (e.g. headers and part of a body, then stall or cut the connection). */
  readonly raw?: (response: ServerResponse) => void
}

/**
 * A small scripted HTTP server on a free loopback port; `requests` records what arrived, `closed` counts the
 * connections that have closed.
 */
export const testServer = (handler: (request: Recorded) => Reply) =>
  Effect.acquireRelease(
    Effect.async<{
      readonly baseUrl: string
      readonly requests: Array<Recorded>
      readonly closed: () => number
      readonly server: ReturnType<typeof createServer>
    }>((resume) => {
      const requests: Array<Recorded> = []
      let closed = 0
      const server = createServer((req, res) => {
        const chunks: Array<Buffer> = []
        req.on("data", (c: Buffer) => chunks.push(c))
        req.on("end", () => {
          const recorded = {
            method: req.method ?? "",
            url: req.url ?? "",
            headers: req.headers,
            body: Buffer.concat(chunks).toString("utf8")
          }
          requests.push(recorded)
          const reply = handler(recorded)
          if (reply.reset === true) return void req.socket.destroy()
          if (reply.hang === true) return
          if (reply.raw !== undefined) return reply.raw(res)
          const payload = reply.body === undefined ? "" : JSON.stringify(reply.body)
          res.writeHead(reply.status, {
            ...(payload === "" ? {} : { "content-type": "application/json" }),
            ...reply.headers
          })
          res.end(payload)
        })
      })
      server.on("connection", (socket) => socket.on("close", () => closed++))
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo
        resume(
          Effect.succeed({
            baseUrl: `http://127.0.0.1:${port}/api/v1`,
            requests,
            closed: () => closed,
            server
          })
        )
      })
    }),
    ({ server }) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  )
