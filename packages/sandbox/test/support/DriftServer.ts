// A stand-in for the real Partner API: a real HTTP proxy in front of a real sandbox that deviates from our
// contract only where its rules say, the way the vendor's API may differ wherever the reference says
// [decided] (another success status, a bare object, new fields or enum values, a proxy's error page).
import { Effect, Ref, type Scope } from "effect"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"

/** One deviation; the first rule matching a request applies. */
export interface DriftRule {
  /** `POST`, `GET`...; any method when absent. */
  readonly method?: string
  /** Tested against the path below `/api/v1`, without the query. */
  readonly path: RegExp
  /** Default true: the request reaches the sandbox (a write is applied) before the answer is changed. */
  readonly forward?: boolean
  /** Answer with this status instead. */
  readonly status?: number
  /** Rewrites the JSON body. */
  readonly json?: (body: unknown) => unknown
  /** Replaces the whole answer (after forwarding unless `forward: false`). */
  readonly reply?: {
    readonly status: number
    readonly headers?: Readonly<Record<string, string>>
    readonly body: string
  }
  /** Adds or replaces response headers. */
  readonly headers?: Readonly<Record<string, string>>
  /** Removes response headers (any case). */
  readonly dropHeaders?: ReadonlyArray<string>
  /** Applies this rule at most this many times. */
  readonly times?: number
}

/** A request the proxy answered. */
export interface DriftHit {
  readonly method: string
  readonly path: string
  readonly status: number
  readonly drifted: boolean
}

export interface DriftServer {
  /** `http://127.0.0.1:<port>/api/v1` */
  readonly baseUrl: string
  readonly setRules: (rules: ReadonlyArray<DriftRule>) => Effect.Effect<void>
  readonly hits: Effect.Effect<ReadonlyArray<DriftHit>>
}

const prefix = "/api/v1"

// Hop-by-hop headers and the ones a rewritten body invalidates.
const notCopied = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "content-length",
  "content-encoding"
])

const readBody = (request: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = []
    request.on("data", (chunk: Buffer) => chunks.push(chunk))
    request.on("end", () => resolve(Buffer.concat(chunks)))
    request.on("error", reject)
  })

const send = (response: ServerResponse, status: number, headers: Record<string, string>, body: string) => {
  response.writeHead(status, { ...headers, "content-length": String(Buffer.byteLength(body)) })
  response.end(body)
}

/** Scoped: a proxy to `target` (a base URL ending in `/api/v1`). */
export const driftServer = (
  target: string,
  initialRules: ReadonlyArray<DriftRule> = []
): Effect.Effect<DriftServer, never, Scope.Scope> =>
  Effect.gen(function* () {
    const rules = yield* Ref.make<ReadonlyArray<{ readonly rule: DriftRule; used: number }>>(
      initialRules.map((rule) => ({ rule, used: 0 }))
    )
    const hits = yield* Ref.make<ReadonlyArray<DriftHit>>([])
    const targetUrl = new URL(target)

    const pick = (method: string, path: string) =>
      Effect.runSync(
        Ref.get(rules).pipe(
          Effect.map((all) => {
            const found = all.find(
              (r) =>
                (r.rule.method === undefined || r.rule.method.toUpperCase() === method) &&
                r.rule.path.test(path) &&
                (r.rule.times === undefined || r.used < r.rule.times)
            )
            if (found !== undefined) found.used += 1
            return found?.rule
          })
        )
      )

    const handle = async (request: IncomingMessage, response: ServerResponse) => {
      const method = (request.method ?? "GET").toUpperCase()
      const url = new URL(request.url ?? "/", "http://drift")
      const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname
      const rule = pick(method, path)
      const body = await readBody(request)
      const record = (status: number) =>
        Effect.runSync(Ref.update(hits, (h) => [...h, { method, path, status, drifted: rule !== undefined }]))

      let status = 0
      let headers: Record<string, string> = {}
      let text = ""
      if (rule?.forward !== false) {
        const forwarded: Record<string, string> = {}
        for (const [name, value] of Object.entries(request.headers)) {
          if (typeof value === "string" && !notCopied.has(name) && name !== "host") forwarded[name] = value
        }
        const upstream = await fetch(`${targetUrl.origin}${targetUrl.pathname}${path}${url.search}`, {
          method,
          headers: forwarded,
          ...(body.length > 0 ? { body } : {})
        })
        status = upstream.status
        upstream.headers.forEach((value, name) => {
          if (!notCopied.has(name)) headers[name] = value
        })
        text = await upstream.text()
      }
      if (rule?.reply !== undefined) {
        status = rule.reply.status
        const kept = Object.fromEntries(Object.entries(headers).filter(([n]) => n.startsWith("x-ratelimit-")))
        headers = { ...kept, ...rule.reply.headers }
        text = rule.reply.body
      }
      if (rule?.json !== undefined && text !== "") text = JSON.stringify(rule.json(JSON.parse(text)))
      if (rule?.status !== undefined) status = rule.status
      if (rule?.headers !== undefined) headers = { ...headers, ...rule.headers }
      if (rule?.dropHeaders !== undefined) {
        const dropped = new Set(rule.dropHeaders.map((h) => h.toLowerCase()))
        headers = Object.fromEntries(Object.entries(headers).filter(([n]) => !dropped.has(n)))
      }
      record(status)
      send(response, status, headers, text)
    }

    const server = createServer((request, response) => {
      handle(request, response).catch(() => response.destroy())
    })
    const port = yield* Effect.acquireRelease(
      Effect.async<number>((resume) => {
        server.listen(0, "127.0.0.1", () => resume(Effect.succeed((server.address() as AddressInfo).port)))
      }),
      () =>
        Effect.async<void>((resume) => {
          server.closeAllConnections()
          server.close(() => resume(Effect.void))
        })
    )
    return {
      baseUrl: `http://127.0.0.1:${port}${prefix}`,
      setRules: (next) =>
        Ref.set(
          rules,
          next.map((rule) => ({ rule, used: 0 }))
        ),
      hits: Ref.get(hits)
    }
  })

const mapObjects = (value: unknown, f: (o: Record<string, unknown>) => Record<string, unknown>): unknown => {
  if (Array.isArray(value)) return value.map((v) => mapObjects(v, f))
  if (value === null || typeof value !== "object") return value
  const mapped: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) mapped[k] = mapObjects(v, f)
  return f(mapped)
}

/** Ready-made rewrites. */
export const Drift = {
  /** Adds an unknown field to every JSON object, nested ones included. */
  extraFields: (body: unknown): unknown =>
    mapObjects(body, (o) => ({ ...o, driftNewField: { added: true } })),
  /** `{key: X, ...}` → `X`. */
  unwrap:
    (key: string) =>
    (body: unknown): unknown =>
      typeof body === "object" && body !== null && key in body
        ? (body as Record<string, unknown>)[key]
        : body,
  /** A proxy's HTML error page. */
  htmlError: (status: number): NonNullable<DriftRule["reply"]> => ({
    status,
    headers: { "content-type": "text/html" },
    body: `<html><head><title>${status}</title></head><body><h1>${status} Server Error</h1><hr>nginx</body></html>`
  })
}
