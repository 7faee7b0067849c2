import { describe, expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { SandboxTest } from "../src/SandboxTest.js"
import { request } from "./support/Http.js"

describe("GET /docs", () => {
  layer(SandboxTest.layer(), { excludeTestServices: true })((it) => {
    it.effect("badges exactly the operations openapi.json marks as decided", () =>
      Effect.gen(function* () {
        const sandbox = yield* SandboxTest
        const spec = (yield* request(sandbox.origin, "GET", "/openapi.json")).body as {
          readonly paths: Record<string, Record<string, Record<string, unknown>>>
        }
        const decided = Object.values(spec.paths)
          .flatMap((item) => Object.values(item))
          .filter((op) => op["x-bullseye-source"] === "decided")
        const page = (yield* request(sandbox.origin, "GET", "/docs")).text
        expect(decided.length).toBeGreaterThan(0)
        expect(page.match(/<span class="decided"/g)?.length).toBe(decided.length)
        expect(page).toMatch(/Create an ICP config <span class="decided"/)
        expect(page).not.toMatch(/The partner account <span class="decided"/)
      })
    )
  })
})
