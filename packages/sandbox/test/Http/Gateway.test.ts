import { HttpServerError, HttpServerRequest } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Cause, FiberId } from "effect"
import { DecodeFailure, errorFromCause, hasScope } from "../../src/Http/Gateway.js"
import { matchEndpoint } from "../../src/Http/Endpoints.js"
import { notFound, wireBody } from "../../src/internal/errors.js"

const request = HttpServerRequest.fromWeb(new Request("http://localhost/partner/me"))

describe("gateway", () => {
  it("write includes read, admin includes both", () => {
    expect([hasScope(["read"], "read"), hasScope(["read"], "write"), hasScope(["write"], "read")]).toEqual([
      true,
      false,
      true
    ])
    expect([
      hasScope(["admin"], "write"),
      hasScope(["write"], "admin"),
      hasScope([], "read"),
      hasScope(["owner"], "read")
    ]).toEqual([true, false, false, false])
  })

  it("maps every failure to the wire error, and a defect to a 500 without internals", () => {
    const defect = wireBody(errorFromCause(Cause.die(new Error("SELECT * FROM secret_table")), "GET", "/x"))
    expect(defect).toEqual({ code: "InternalError", message: "An unexpected error occurred", details: {} })
    expect(errorFromCause(Cause.fail(new Error("boom")), "GET", "/x").status).toBe(500)
    expect(errorFromCause(Cause.fail(notFound("gone")), "GET", "/x")).toMatchObject({
      status: 404,
      message: "gone"
    })
    expect(
      errorFromCause(Cause.fail(new HttpServerError.RouteNotFound({ request })), "GET", "/x")
    ).toMatchObject({
      status: 404,
      code: "NotFound"
    })
    expect(
      errorFromCause(Cause.die(new HttpServerError.RequestError({ request, reason: "Decode" })), "POST", "/x")
    ).toMatchObject({ status: 400, details: { issues: [{ path: ["body"], message: "Malformed JSON" }] } })
    expect(
      errorFromCause(
        Cause.die(new DecodeFailure({ issues: [{ path: ["query", "page"], message: "bad" }] })),
        "GET",
        "/x"
      )
    ).toMatchObject({
      status: 400,
      details: { issues: [{ path: ["query", "page"], message: "bad" }] }
    })
    expect(errorFromCause(Cause.interrupt(FiberId.none), "GET", "/x").status).toBe(500)
  })

  it("matches exactly the forms the framework's router would route the same way", () => {
    expect(
      matchEndpoint("GET", "/partner/organizations/abc").pipe((m) => m._tag === "Some" && m.value.endpoint.id)
    ).toBe("organizations.get")
    expect(
      matchEndpoint("GET", "/partner/webhooks/logs").pipe((m) => m._tag === "Some" && m.value.endpoint.id)
    ).toBe("webhooks.logs")
    expect(matchEndpoint("HEAD", "/partner/me").pipe((m) => m._tag === "Some" && m.value.endpoint.id)).toBe(
      "partner.me"
    )
    for (const path of [
      "/partner/organizations/",
      "/partner/organizations/a;b",
      "//partner/me",
      "/partner/organizations//pixel",
      "/partner/organizations/%E0%A4%A"
    ]) {
      expect([path, matchEndpoint("GET", path)._tag]).toEqual([path, "None"])
    }
    const decoded = matchEndpoint("GET", "/partner/organizations/a%2Fb")
    expect(decoded._tag === "Some" && decoded.value.params).toEqual({ organizationId: "a/b" })
  })
})
