import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { isNonPublic, refusal } from "../../src/Webhooks/AddressPolicy.js"
import { WebhookSender } from "../../src/Webhooks/Sender.js"
import { receiver } from "../support/Receiver.js"

describe("webhook sending", () => {
  it("classifies addresses: private, loopback, link-local and shared ranges are not public", () => {
    for (const address of [
      "10.0.0.1",
      "127.0.0.1",
      "169.254.169.254",
      "172.16.5.4",
      "192.168.1.1",
      "100.64.0.1",
      "0.0.0.0",
      "::1",
      "fd00::1",
      "fe80::1",
      "::ffff:10.0.0.1",
      "224.0.0.1"
    ]) {
      expect([address, isNonPublic(address)]).toEqual([address, true])
    }
    for (const address of ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "172.32.0.1"]) {
      expect([address, isNonPublic(address)]).toEqual([address, false])
    }
    expect(refusal("127.0.0.1", true)).toBeUndefined()
    expect(refusal("10.0.0.1", true)).toContain("non-public")
  })

  it.scoped(
    "refuses names that resolve to loopback unless loopback is allowed, and never follows redirects",
    () =>
      Effect.gen(function* () {
        const hook = yield* receiver([200, 301])
        const viaName = hook.url.replace("127.0.0.1", "localhost")
        const strict = yield* Effect.flatMap(WebhookSender, (s) => s.send(viaName, "{}", {})).pipe(
          Effect.provide(WebhookSender.layer({ allowLoopback: false, timeoutMillis: 2000 }))
        )
        expect(strict.responseStatus).toBeNull()
        expect(strict.error).toContain("non-public")
        const byIp = yield* Effect.flatMap(WebhookSender, (s) => s.send(hook.url, "{}", {})).pipe(
          Effect.provide(WebhookSender.layer({ allowLoopback: false, timeoutMillis: 2000 }))
        )
        expect(byIp.error).toContain("non-public")
        expect(hook.received.length).toBe(0)
        const sandbox = WebhookSender.layer({ allowLoopback: true, timeoutMillis: 2000 })
        const ok = yield* Effect.flatMap(WebhookSender, (s) => s.send(viaName, "{}", {})).pipe(
          Effect.provide(sandbox)
        )
        expect([ok.responseStatus, ok.error]).toEqual([200, null])
        const moved = yield* Effect.flatMap(WebhookSender, (s) => s.send(hook.url, "{}", {})).pipe(
          Effect.provide(sandbox)
        )
        expect([moved.responseStatus, moved.error]).toEqual([301, "Receiver answered 301"])
        expect(hook.received.length).toBe(2)
      })
  )

  it.live("gives up after the timeout", () =>
    Effect.gen(function* () {
      const { createServer } = yield* Effect.promise(() => import("node:http"))
      const server = createServer(() => undefined)
      yield* Effect.promise(() => new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r())))
      const port = (server.address() as { port: number }).port
      const result = yield* Effect.flatMap(WebhookSender, (s) =>
        s.send(`http://127.0.0.1:${port}/slow`, "{}", {})
      ).pipe(Effect.provide(WebhookSender.layer({ allowLoopback: true, timeoutMillis: 200 })))
      server.closeAllConnections()
      server.close()
      expect([result.responseStatus, result.error]).toEqual([null, "No answer within 200 ms"])
      expect(result.durationMs).toBeGreaterThanOrEqual(190)
    })
  )
})
