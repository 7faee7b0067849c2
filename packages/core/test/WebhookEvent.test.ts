import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted, Schema } from "effect"
import {
  CreditsLow,
  decodeWebhookEvent,
  DeliveryHeader,
  EventHeader,
  SignatureHeader,
  verifyAndDecode,
  VisitorIdentified,
  WebhookDecodeError,
  WebhookEvent
} from "../src/WebhookEvent.js"
import { sign, WebhookSignatureError } from "../src/WebhookSignature.js"

// Verbatim from webhooks.md, "Identification payload".
const identificationExample = `{
  "event": "visitor.identified",
  "timestamp": "2025-02-27T10:30:00Z",
  "organization_id": "<organization id>",
  "session_id": "<session id>",
  "visitor": {
    "id": "<visitor id>", "email": "jane@acme.com", "first_name": "Jane", "last_name": "Doe",
    "job_title": "CTO", "linkedin_url": "https://linkedin.com/in/janedoe",
    "location": { "city": "Austin", "region": "Texas", "country": "US" }
  },
  "company": {
    "name": "Acme", "domain": "acme.com", "industry": "Technology", "employee_count": 120,
    "employee_size_range": "51-200",
    "location": { "city": "Austin", "region": "Texas", "country": "US" }
  },
  "session": {
    "landing_page": "https://client.com/pricing", "pages_visited": ["https://client.com/pricing"],
    "utm_source": "google", "utm_medium": "cpc", "utm_campaign": null, "utm_term": null,
    "utm_content": null, "referrer": "https://www.google.com/", "device_type": "desktop"
  },
  "icp": { "match": true, "score": 100, "icp_config_id": "<id or null>" }
}`

// Verbatim from webhooks.md, "Billing payload": `data` is a placeholder the table fills per event.
const billingExample = `{
  "event": "credits.low",
  "timestamp": "2025-02-27T10:30:00Z",
  "partner_id": "<partner id>",
  "organization_id": "<organization id or null>",
  "data": { }
}`

const billing = (event: string, data: object, organizationId: string | null = "<organization id>") =>
  JSON.stringify({ ...JSON.parse(billingExample), event, organization_id: organizationId, data })

const decode = (body: string | Uint8Array) => decodeWebhookEvent(body)

describe("header names", () => {
  it("are the documented ones", () => {
    expect([SignatureHeader, EventHeader, DeliveryHeader]).toEqual([
      "X-Bullseye-Signature",
      "X-Bullseye-Event",
      "X-Bullseye-Delivery"
    ])
  })
})

describe("decodeWebhookEvent", () => {
  it.effect("decodes the documented identification example", () =>
    Effect.gen(function* () {
      const event = yield* decode(identificationExample)
      expect(event._tag).toBe("VisitorIdentified")
      if (event._tag !== "VisitorIdentified") return
      expect(event.event).toBe("visitor.identified")
      expect(event.organization_id).toBe("<organization id>")
      expect(event.visitor.email).toBe("jane@acme.com")
      expect(event.visitor.location?.country).toBe("US")
      expect(event.company?.employee_count).toBe(120)
      expect(event.session.pages_visited).toEqual(["https://client.com/pricing"])
      expect(event.session.utm_campaign).toBeNull()
      expect(event.icp).toEqual({ match: true, score: 100, icp_config_id: "<id or null>" })
    })
  )

  it.effect("decodes bytes exactly like the string", () =>
    Effect.gen(function* () {
      const fromBytes = yield* decode(new TextEncoder().encode(identificationExample))
      expect(fromBytes).toEqual(yield* decode(identificationExample))
    })
  )

  it.effect("decodes a B2C identification with a null company", () =>
    Effect.gen(function* () {
      const event = yield* decode(JSON.stringify({ ...JSON.parse(identificationExample), company: null }))
      expect(event._tag === "VisitorIdentified" && event.company).toBeNull()
    })
  )

  it.effect("ignores unknown fields and reads absent nested details as null", () =>
    Effect.gen(function* () {
      const wire = JSON.parse(identificationExample)
      wire.extra = "top"
      wire.visitor.extra = "nested"
      delete wire.visitor.job_title
      delete wire.session.pages_visited
      delete wire.icp
      const event = yield* decode(JSON.stringify(wire))
      if (event._tag !== "VisitorIdentified") return expect.fail(event._tag)
      expect(event).not.toHaveProperty("extra")
      expect(event.visitor).not.toHaveProperty("extra")
      expect(event.visitor.job_title).toBeNull()
      expect(event.session.pages_visited).toEqual([])
      expect(event.icp).toBeNull()
    })
  )

  it.effect("decodes every billing event of the table", () =>
    Effect.gen(function* () {
      const level = { credits_allocated: 1000, credits_used: 950, credits_available: 50 }
      const allocated = yield* decode(
        billing("credits.allocated", {
          credits_allocated: 1000,
          previous_allocation: 500,
          credits_used: 120,
          notes: "Q1 top-up"
        })
      )
      const low = yield* decode(billing("credits.low", level))
      const exhausted = yield* decode(billing("credits.exhausted", { ...level, credits_available: 0 }))
      const pool = yield* decode(
        billing(
          "pool.low",
          { credit_pool_total: 10000, credit_pool_used: 9100, credit_pool_available: 900 },
          null
        )
      )
      expect([allocated._tag, low._tag, exhausted._tag, pool._tag]).toEqual([
        "CreditsAllocated",
        "CreditsLow",
        "CreditsExhausted",
        "PoolLow"
      ])
      expect(allocated._tag === "CreditsAllocated" && allocated.data.notes).toBe("Q1 top-up")
      expect(low._tag === "CreditsLow" && low.data).toEqual(level)
      expect(low._tag === "CreditsLow" && low.partner_id).toBe("<partner id>")
      expect(pool._tag === "PoolLow" && pool.organization_id).toBeNull()
    })
  )

  it.effect("refuses the billing envelope with its placeholder empty data, naming the path", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(decode(billingExample))
      expect(error).toBeInstanceOf(WebhookDecodeError)
      expect(error.event).toBe("credits.low")
      expect(error.path).toEqual(["data", "credits_allocated"])
      expect(error.message).toContain("data.credits_allocated")
    })
  )

  it.effect("decodes an unknown event into the generic variant keeping the raw object", () =>
    Effect.gen(function* () {
      const raw = { event: "organization.suspended", timestamp: "2025-02-27T10:30:00Z", data: { id: "o1" } }
      const event = yield* decode(JSON.stringify(raw))
      expect(event).toEqual({ _tag: "UnknownWebhookEvent", event: "organization.suspended", raw })
      expect(Schema.encodeSync(WebhookEvent)(event)).toEqual(raw)
    })
  )

  it.effect("does not hide a malformed known event behind the generic variant", () =>
    Effect.gen(function* () {
      const wire = JSON.parse(identificationExample)
      wire.visitor.email = 42
      const error = yield* Effect.flip(decode(JSON.stringify(wire)))
      expect(error.event).toBe("visitor.identified")
      expect(error.path).toEqual(["visitor", "email"])
    })
  )

  it.effect("refuses bodies that are not JSON objects with a string event", () =>
    Effect.gen(function* () {
      for (const body of [
        "not json",
        "[]",
        "null",
        '{"event":1}',
        "{}",
        new Uint8Array([0x7b, 0xff, 0x7d])
      ]) {
        const error = yield* Effect.flip(decode(body))
        expect(error._tag).toBe("WebhookDecodeError")
      }
    })
  )
})

describe("WebhookEvent schema", () => {
  it("decodes on its own, unknown events included", () => {
    const decodeSync = Schema.decodeUnknownSync(WebhookEvent)
    expect(decodeSync(JSON.parse(identificationExample))._tag).toBe("VisitorIdentified")
    expect(decodeSync({ event: "x.y", a: 1 })).toEqual({
      _tag: "UnknownWebhookEvent",
      event: "x.y",
      raw: { event: "x.y", a: 1 }
    })
  })

  it("encodes what the sandbox sends, without the type-only _tag", () => {
    const wire = JSON.parse(identificationExample)
    const decoded = Schema.decodeUnknownSync(VisitorIdentified)(wire)
    expect(Schema.encodeSync(VisitorIdentified)(decoded)).toEqual(wire)
    const low = Schema.encodeSync(CreditsLow)({
      _tag: "CreditsLow",
      event: "credits.low",
      timestamp: "2025-02-27T10:30:00Z",
      partner_id: "p1",
      organization_id: null,
      data: { credits_allocated: 10, credits_used: 9, credits_available: 1 }
    })
    expect(low).not.toHaveProperty("_tag")
    expect(low.event).toBe("credits.low")
  })
})

describe("verifyAndDecode", () => {
  const secret = Redacted.make("whsec_channel_secret")

  it.effect("decodes a body signed over its raw bytes", () =>
    Effect.gen(function* () {
      const body = new TextEncoder().encode(identificationExample)
      const event = yield* verifyAndDecode(secret, body, sign(secret, body))
      expect(event._tag).toBe("VisitorIdentified")
    })
  )

  it.effect("checks the signature before parsing", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(verifyAndDecode(secret, "not json", sign(secret, "other")))
      expect(error).toBeInstanceOf(WebhookSignatureError)
    })
  )

  it.effect("fails with a decode error for a correctly signed body that is not a webhook", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(verifyAndDecode(secret, "not json", sign(secret, "not json")))
      expect(error).toBeInstanceOf(WebhookDecodeError)
    })
  )

  it.effect("refuses a re-serialized body", () =>
    Effect.gen(function* () {
      const signature = sign(secret, identificationExample)
      const reserialized = JSON.stringify(JSON.parse(identificationExample))
      const error = yield* Effect.flip(verifyAndDecode(secret, reserialized, signature))
      expect(error._tag).toBe("WebhookSignatureError")
    })
  )
})
