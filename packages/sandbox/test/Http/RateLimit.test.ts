import { describe, expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { SandboxTest } from "../../src/SandboxTest.js"
import { field, isErrorBody, request, type Reply } from "../support/Http.js"

const limitHeaders = (reply: Reply) => ({
  limit: Number(reply.headers.get("x-ratelimit-limit")),
  remaining: Number(reply.headers.get("x-ratelimit-remaining")),
  reset: Number(reply.headers.get("x-ratelimit-reset"))
})

const window = 3600

describe("rate limit", () => {
  layer(
    SandboxTest.layer({ settings: { rateLimit: 12, rateWindowSeconds: window, unauthenticatedLimit: 5 } }),
    {
      excludeTestServices: true,
      timeout: 30_000
    }
  )((it) => {
    it.effect(
      "every response carries the headers; 401 and 429 do not consume; 429 has Retry-After and the documented body",
      () =>
        Effect.gen(function* () {
          const sandbox = yield* SandboxTest
          const key = { key: sandbox.apiKey }
          const replies: Array<Reply> = []
          replies.push(yield* request(sandbox.baseUrl, "GET", "/partner/me", key))
          replies.push(yield* request(sandbox.baseUrl, "GET", "/partner/organizations/unknown", key))
          replies.push(
            yield* request(sandbox.baseUrl, "POST", "/partner/organizations", {
              ...key,
              raw: "{",
              headers: { "content-type": "application/json" }
            })
          )
          replies.push(yield* request(sandbox.baseUrl, "GET", "/partner/no-such-route", key))
          replies.push(
            yield* request(sandbox.baseUrl, "POST", "/partner/organizations", {
              ...key,
              body: { name: "x", initialCredits: 999_999, tier: "paid" }
            })
          )
          expect(replies.map((r) => r.status)).toEqual([200, 404, 400, 404, 422])
          replies.forEach((reply, i) => {
            const h = limitHeaders(reply)
            expect(h).toEqual({ limit: 12, remaining: 11 - i, reset: h.reset })
            expect(h.reset % window).toBe(0)
            expect(h.reset * 1000).toBeGreaterThan(Date.now())
            expect(h.reset * 1000 - Date.now()).toBeLessThanOrEqual(window * 1000)
          })
          const unauthorized = yield* request(sandbox.baseUrl, "GET", "/partner/me", {
            key: "pk_test_wrong_wrong_wrong_wrong_wrong_wr"
          })
          expect(unauthorized.status).toBe(401)
          expect(unauthorized.headers.get("x-ratelimit-limit")).toBe("5")
          const next = yield* request(sandbox.baseUrl, "GET", "/partner/me", key)
          expect(limitHeaders(next).remaining).toBe(6)
          for (let i = 0; i < 6; i++) yield* request(sandbox.baseUrl, "GET", "/partner/webhooks", key)
          const limited = yield* request(sandbox.baseUrl, "GET", "/partner/me", key)
          expect(limited.status).toBe(429)
          expect(isErrorBody(limited.body)).toBe(true)
          const h = limitHeaders(limited)
          expect(h.remaining).toBe(0)
          expect(limited.body).toEqual({
            code: "TooManyRequests",
            message: expect.any(String),
            details: { limit: 12, resetAt: new Date(h.reset * 1000).toISOString().replace(".000Z", "Z") }
          })
          const retryAfter = Number(limited.headers.get("retry-after"))
          expect(Number.isInteger(retryAfter)).toBe(true)
          expect(Math.abs(retryAfter - (h.reset - Date.now() / 1000))).toBeLessThanOrEqual(2)
          const again = yield* request(sandbox.baseUrl, "GET", "/partner/me", key)
          expect([again.status, limitHeaders(again).remaining]).toEqual([429, 0])

          const other = yield* sandbox.createPartner({ name: "Independent" })
          const independent = yield* request(sandbox.baseUrl, "GET", "/partner/me", { key: other.apiKey })
          expect([independent.status, limitHeaders(independent).remaining]).toEqual([200, 11])
          const sharedKey = yield* request(sandbox.baseUrl, "POST", "/partner/api-keys", {
            key: other.apiKey,
            body: { name: "second" }
          })
          const second = String(field(sharedKey.body, "plainKey"))
          const viaSecond = yield* request(sandbox.baseUrl, "GET", "/partner/me", { key: second })
          expect(limitHeaders(viaSecond).remaining).toBe(9)
        })
    )

    it.effect("requests without a valid key are limited per client IP", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const statuses: Array<number> = []
        for (let i = 0; i < 7; i++) {
          statuses.push((yield* request(sandbox.baseUrl, "GET", "/partner/me", { key: `bad-${i}` })).status)
        }
        expect(statuses.slice(-2)).toEqual([429, 429])
        const last = yield* request(sandbox.baseUrl, "GET", "/partner/me")
        expect([last.status, field(last.body, "code"), last.headers.get("retry-after") !== null]).toEqual([
          429,
          "TooManyRequests",
          true
        ])
      })
    )
  })
})
