import { Effect, type Scope } from "effect"
import { createServer, type IncomingHttpHeaders } from "node:http"
import type { AddressInfo } from "node:net"

/** One request a test webhook receiver got. */
export interface Received {
  readonly headers: IncomingHttpHeaders
  readonly body: string
  readonly at: number
}

/** A local HTTP receiver answering with the given statuses in turn (then the last one forever). */
export const receiver = (
  statuses: ReadonlyArray<number> = [200]
): Effect.Effect<
  {
    readonly url: string
    readonly received: ReadonlyArray<Received>
    readonly waitFor: (n: number) => Effect.Effect<void>
  },
  never,
  Scope.Scope
> =>
  Effect.acquireRelease(
    Effect.promise(
      () =>
        new Promise<{ server: ReturnType<typeof createServer>; received: Array<Received> }>((resolve) => {
          const received: Array<Received> = []
          const server = createServer((req, res) => {
            const chunks: Array<Buffer> = []
            req.on("data", (c: Buffer) => chunks.push(c))
            req.on("end", () => {
              received.push({
                headers: req.headers,
                body: Buffer.concat(chunks).toString("utf8"),
                at: Date.now()
              })
              const status = statuses[Math.min(received.length - 1, statuses.length - 1)] ?? 200
              res.writeHead(
                status,
                status >= 300 && status < 400 ? { location: "http://127.0.0.1:1/elsewhere" } : {}
              )
              res.end("ok")
            })
          })
          server.listen(0, "127.0.0.1", () => resolve({ server, received }))
        })
    ),
    ({ server }) => Effect.promise(() => new Promise<void>((resolve) => server.close(() => resolve())))
  ).pipe(
    Effect.map(({ server, received }) => ({
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
      received,
      waitFor: (n: number) =>
        Effect.promise(async () => {
          const deadline = Date.now() + 10_000
          while (received.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
          if (received.length < n) throw new Error(`Expected ${n} webhook requests, got ${received.length}`)
        })
    }))
  )
