import { createHmac } from "node:crypto"
import { inspect } from "node:util"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Redacted } from "effect"
import { sign, verify, verifyOrFail, WebhookSignatureError } from "../src/WebhookSignature.js"

const secretText = "whsec_test_0123456789abcdef"
const secret = Redacted.make(secretText)
const body = '{"event":"credits.low","timestamp":"2025-02-27T10:30:00Z","partner_id":"p1","data":{}}'
const expected = createHmac("sha256", secretText).update(Buffer.from(body, "utf8")).digest("hex")

describe("sign", () => {
  it("matches an independently computed HMAC-SHA256 in lowercase hex", () => {
    expect(sign(secret, body)).toBe(expected)
    expect(sign(secret, body)).toMatch(/^[0-9a-f]{64}$/)
  })

  it("matches the RFC 4231 test case 2 vector", () => {
    expect(sign(Redacted.make("Jefe"), "what do ya want for nothing?")).toBe(
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    )
  })

  it("signs the same bytes whether given as a string or as UTF-8 bytes", () => {
    const text = '{"name":"Zoë — ünïcödé"}'
    expect(sign(secret, new TextEncoder().encode(text))).toBe(sign(secret, text))
  })
})

describe("verify", () => {
  it("accepts the signature of the exact body", () => {
    expect(verify(secret, body, expected)).toBe(true)
    expect(verify(secret, Buffer.from(body), expected)).toBe(true)
  })

  it("refuses a tampered body", () => {
    expect(verify(secret, body.replace("credits.low", "credits.exhausted"), expected)).toBe(false)
  })

  it("refuses a tampered signature", () => {
    const last = expected.at(-1) === "0" ? "1" : "0"
    expect(verify(secret, body, expected.slice(0, -1) + last)).toBe(false)
  })

  it("refuses a signature made with another secret", () => {
    expect(verify(Redacted.make("another-secret"), body, expected)).toBe(false)
  })

  it("refuses missing, uppercase, short, long and non-hex headers without throwing", () => {
    for (const header of [
      undefined,
      "",
      expected.toUpperCase(),
      expected.slice(0, 62),
      expected + "00",
      "z".repeat(64),
      `sha256=${expected}`,
      ` ${expected}`
    ]) {
      expect(verify(secret, body, header)).toBe(false)
    }
  })

  it("verifies the raw bytes, not a re-serialization of the JSON", () => {
    const pretty = JSON.stringify(JSON.parse(body), null, 2)
    expect(JSON.parse(pretty)).toEqual(JSON.parse(body))
    expect(verify(secret, pretty, expected)).toBe(false)
    expect(verify(secret, body + "\n", expected)).toBe(false)
  })
})

describe("verifyOrFail", () => {
  it.effect("succeeds on a valid signature", () => verifyOrFail(secret, body, expected))

  it.effect("fails with a reason per problem", () =>
    Effect.gen(function* () {
      const reasonOf = (header: string | undefined) =>
        verifyOrFail(secret, body, header).pipe(
          Effect.flip,
          Effect.map((e) => e.reason)
        )
      expect(yield* reasonOf(undefined)).toBe("Missing")
      expect(yield* reasonOf("ABC")).toBe("Malformed")
      expect(yield* reasonOf(sign(secret, "other"))).toBe("Mismatch")
    })
  )

  it.effect("never shows the secret or the expected signature in the error", () =>
    Effect.gen(function* () {
      const result = yield* Effect.either(verifyOrFail(secret, body, "0".repeat(64)))
      expect(Either.isLeft(result)).toBe(true)
      if (Either.isRight(result)) return
      const error = result.left
      expect(error).toBeInstanceOf(WebhookSignatureError)
      expect(error._tag).toBe("WebhookSignatureError")
      for (const shown of [
        error.message,
        String(error),
        JSON.stringify(error),
        inspect(error),
        error.stack ?? ""
      ]) {
        expect(shown).not.toContain(secretText)
        expect(shown).not.toContain(expected)
      }
    })
  )
})
