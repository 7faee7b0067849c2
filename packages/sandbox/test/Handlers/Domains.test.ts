import { describe, expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { SandboxTest } from "../../src/SandboxTest.js"
import { client } from "../support/Client.js"
import { field } from "../support/Http.js"

describe("custom script domain", () => {
  layer(SandboxTest.layer({ settings: { rateLimit: 1_000_000 } }), {
    excludeTestServices: true,
    timeout: 30_000
  })((it) => {
    it.effect("set, fail verification with per-record details, add the records, verify", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const api = client(sandbox)
        expect((yield* api.get("/partner/domain/verification")).status).toBe(404)
        expect((yield* api.post("/partner/domain/verify")).status).toBe(404)
        for (const domain of [
          "Track.Example.com",
          "example",
          "https://a.com",
          "a.com:80",
          "1.2.3.4",
          "x.bullseye.so",
          "a..com"
        ]) {
          expect([domain, (yield* api.put("/partner/domain", { domain })).status]).toEqual([domain, 400])
        }
        const set = yield* api.put("/partner/domain", { domain: "track.yourcompany.com" })
        expect(set.status).toBe(200)
        const record = String(field(set.body, "verificationRecord"))
        expect(record).toMatch(/^bullseye-verify=[0-9a-f]+$/)
        expect(set.body).toMatchObject({
          domain: "track.yourcompany.com",
          verified: false,
          cnameTarget: "track.bullseye.so",
          verifiedAt: null,
          dnsRecords: [
            { type: "CNAME", name: "track.yourcompany.com", value: "track.bullseye.so" },
            { type: "TXT", name: "_bullseye-verify.track.yourcompany.com", value: record }
          ]
        })
        const again = yield* api.put("/partner/domain", { domain: "track.yourcompany.com" })
        expect(field(again.body, "verificationRecord")).toBe(record)
        const failed = yield* api.post("/partner/domain/verify")
        expect(failed.status).toBe(422)
        expect(field(failed.body, "details")).toEqual({
          reason: "domain_verification_failed",
          records: [
            {
              type: "CNAME",
              name: "track.yourcompany.com",
              expected: "track.bullseye.so",
              found: [],
              ok: false
            },
            {
              type: "TXT",
              name: "_bullseye-verify.track.yourcompany.com",
              expected: record,
              found: [],
              ok: false
            }
          ]
        })
        yield* sandbox.control("PUT", "/dns", {
          records: [
            { type: "CNAME", name: "track.yourcompany.com", value: "track.bullseye.so." },
            { type: "TXT", name: "_bullseye-verify.track.yourcompany.com", value: "something-else" }
          ]
        })
        const half = yield* api.post("/partner/domain/verify")
        expect(field(half.body, "details", "records", 0, "ok")).toBe(true)
        expect(field(half.body, "details", "records", 1, "found")).toEqual(["something-else"])
        yield* sandbox.control("PUT", "/dns", {
          records: [
            { type: "CNAME", name: "track.yourcompany.com", value: "track.bullseye.so" },
            { type: "TXT", name: "_bullseye-verify.track.yourcompany.com", value: record }
          ]
        })
        const verified = yield* api.post("/partner/domain/verify")
        expect(verified.status).toBe(200)
        expect(verified.body).toMatchObject({ verified: true, verifiedAt: expect.any(String) })
        expect((yield* api.get("/partner/domain/verification")).body).toEqual(verified.body)
        const me = yield* api.get("/partner/me")
        expect([
          field(me.body, "partner", "scriptDomain"),
          field(me.body, "partner", "scriptDomainVerified")
        ]).toEqual(["track.yourcompany.com", true])
        const script = yield* api.get("/partner/script-config")
        expect(field(script.body, "scriptConfig", "scriptBaseUrl")).toBe("https://track.yourcompany.com")
        const changed = yield* api.put("/partner/domain", { domain: "cdn.yourcompany.com" })
        expect(changed.body).toMatchObject({ verified: false, verifiedAt: null })
        expect(field(changed.body, "verificationRecord")).not.toBe(record)
      })
    )
  })
})
