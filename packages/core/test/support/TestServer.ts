import { Effect } from "effect"
import { createServer, type IncomingHttpHeaders } from "node:http"
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
}

/** A small scripted HTTP server on a free loopback port; `requests` records what arrived. */
export const testServer = (handler: (request: Recorded) => Reply) =>
  Effect.acquireRelease(
    Effect.async<{
      readonly baseUrl: string
      readonly requests: Array<Recorded>
      readonly server: ReturnType<typeof createServer>
    }>((resume) => {
      const requests: Array<Recorded> = []
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
          const payload = reply.body === undefined ? "" : JSON.stringify(reply.body)
          res.writeHead(reply.status, {
            ...(payload === "" ? {} : { "content-type": "application/json" }),
            ...reply.headers
          })
          res.end(payload)
        })
      })
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo
        resume(Effect.succeed({ baseUrl: `http://127.0.0.1:${port}/api/v1`, requests, server }))
      })
    }),
    ({ server }) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  )
