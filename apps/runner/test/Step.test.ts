import { describe, expect, it } from "@effect/vitest"
import { assessValue, samePixel } from "../src/Step.js"

describe("Step", () => {
  it("assesses a fresh read against the step's precondition and target", () => {
    expect(assessValue(100, 500, 100)).toEqual({ _tag: "perform" })
    expect(assessValue(100, 500, 500)).toEqual({ _tag: "satisfied" })
    expect(assessValue(100, 500, 42)).toEqual({ _tag: "drifted", expected: 100, found: 42 })
    expect(assessValue({ a: 1, b: 2 }, { a: 1 }, { b: 2, a: 1 })).toEqual({ _tag: "perform" })
  })

  it("compares pixel domains as sets", () => {
    expect(
      samePixel(
        { allowedDomains: ["b.com", "a.com", "a.com"], enabled: true },
        { allowedDomains: ["a.com", "b.com"], enabled: true }
      )
    ).toBe(true)
    expect(
      samePixel({ allowedDomains: ["a.com"], enabled: true }, { allowedDomains: ["a.com"], enabled: false })
    ).toBe(false)
  })
})
