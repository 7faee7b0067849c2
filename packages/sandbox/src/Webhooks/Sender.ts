import { Context, Effect, Layer } from "effect"
import { lookup as dnsLookup, type LookupAddress } from "node:dns"
import * as http from "node:http"
import * as https from "node:https"
import { isIP, type LookupFunction } from "node:net"
import { refusal } from "./AddressPolicy.js"

/** The outcome of one HTTP attempt. */
export interface SendResult {
  readonly responseStatus: number | null
  readonly error: string | null
  readonly durationMs: number
}

/** Posts a webhook body: no redirects followed, a timeout, and an address policy checked on every connection. */
export class WebhookSender extends Context.Tag("@bullseye-partner/sandbox/WebhookSender")<
  WebhookSender,
  {
    readonly send: (
      url: string,
      body: string,
      headers: Readonly<Record<string, string>>
    ) => Effect.Effect<SendResult>
  }
>() {
  static layer = (options: { readonly allowLoopback: boolean; readonly timeoutMillis: number }) =>
    Layer.succeed(WebhookSender, {
      send: (url, body, headers) => send(url, body, headers, options)
    })
}

// The policy is enforced in the socket's lookup, so a name cannot resolve to a public address when
// checked and to a private one when connecting.
const guardedLookup =
  (allowLoopback: boolean): LookupFunction =>
  (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: Array<LookupAddress>) => {
      if (error) return callback(error, "", 4)
      const refused = addresses.map((a) => refusal(a.address, allowLoopback)).find((r) => r !== undefined)
      if (refused !== undefined) return callback(new Error(refused), "", 4)
      if (options.all === true)
        return (callback as unknown as (e: null, a: Array<LookupAddress>) => void)(null, addresses)
      const first = addresses[0]
      if (first === undefined) return callback(new Error(`No address for ${hostname}`), "", 4)
      callback(null, first.address, first.family)
    })
  }

const send = (
  target: string,
  body: string,
  headers: Readonly<Record<string, string>>,
  options: { readonly allowLoopback: boolean; readonly timeoutMillis: number }
): Effect.Effect<SendResult> =>
  Effect.async<SendResult>((resume) => {
    const started = Date.now()
    const done = (responseStatus: number | null, error: string | null) =>
      resume(Effect.succeed({ responseStatus, error, durationMs: Date.now() - started }))
    let url: URL
    try {
      url = new URL(target)
    } catch {
      return done(null, "Invalid URL")
    }
    const host = url.hostname.replace(/^\[|\]$/g, "")
    if (isIP(host) !== 0) {
      const refused = refusal(host, options.allowLoopback)
      if (refused !== undefined) return done(null, refused)
    }
    const transport = url.protocol === "https:" ? https : url.protocol === "http:" ? http : undefined
    if (transport === undefined) return done(null, `Unsupported protocol ${url.protocol}`)
    let settled = false
    const request = transport.request(
      url,
      {
        method: "POST",
        headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
        lookup: guardedLookup(options.allowLoopback),
        timeout: options.timeoutMillis
      },
      (response) => {
        response.resume()
        response.on("end", () => {
          if (settled) return
          settled = true
          clearTimeout(timer)
          const status = response.statusCode ?? null
          const ok = status !== null && status >= 200 && status < 300
          done(status, ok ? null : `Receiver answered ${status}`)
        })
      }
    )
    const timer = setTimeout(
      () => request.destroy(new Error(`No answer within ${options.timeoutMillis} ms`)),
      options.timeoutMillis
    )
    request.on("timeout", () => request.destroy(new Error(`No answer within ${options.timeoutMillis} ms`)))
    request.on("error", (error) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      done(null, error.message)
    })
    request.end(body)
    return Effect.sync(() => {
      clearTimeout(timer)
      request.destroy()
    })
  })
