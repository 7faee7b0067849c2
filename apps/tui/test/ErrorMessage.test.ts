import {
  BadRequest,
  Conflict,
  Forbidden,
  NetworkError,
  Unauthorized,
  UnprocessableEntity
} from "@bullseye-partner/core/Errors"
import { Cause } from "effect"
import { describe, expect, it } from "vitest"
import { describeCause, describeError } from "../src/ErrorMessage.js"

const api = { status: 422, code: "UnprocessableEntity", message: "server says no" }

describe("describeError", () => {
  it("turns typed errors into short sentences with their numbers", () => {
    expect(
      describeError(
        new UnprocessableEntity({
          ...api,
          details: { reason: "insufficient_pool", requested: 900, available: 400 }
        })
      )
    ).toBe("Not enough credits in the pool: 400 available, 900 requested")
    expect(describeError(new UnprocessableEntity({ ...api, details: { reason: "something_new" } }))).toBe(
      "server says no"
    )
    expect(
      describeError(
        new Forbidden({
          ...api,
          status: 403,
          code: "Forbidden",
          details: { requiredScope: "admin", keyScopes: ["read"] }
        })
      )
    ).toBe("This key lacks the admin scope")
    expect(describeError(new Unauthorized({ ...api, status: 401, code: "Unauthorized", details: {} }))).toBe(
      "The API key was refused (invalid, revoked or expired)"
    )
    expect(
      describeError(new Conflict({ ...api, status: 409, code: "Conflict", details: { externalId: "x-1" } }))
    ).toBe("Another organization already uses the externalId x-1")
    expect(
      describeError(
        new BadRequest({
          ...api,
          status: 400,
          code: "BadRequest",
          details: { issues: [{ path: ["body", "credits"], message: "Expected an integer >= 0" }] }
        })
      )
    ).toBe("credits: Expected an integer >= 0")
    expect(
      describeError(new NetworkError({ message: "Connection refused for GET /x", outcomeUnknown: false }))
    ).toBe("Connection refused for GET /x")
  })

  it("never shows a stack trace for a defect", () => {
    const message = describeCause(Cause.die(new Error("boom\n    at somewhere (file.ts:1:1)")))
    expect(message).toBe("Unexpected error: boom")
  })
})
