import { describe, expect, it } from "vitest"
import { parseCli, UsageError } from "../src/Cli.js"

describe("parseCli", () => {
  it("reads --profile, --read-only and --help", () => {
    expect(parseCli([])).toEqual({ profile: undefined, readOnly: false, help: false })
    expect(parseCli(["--profile", "prod", "--read-only"])).toEqual({
      profile: "prod",
      readOnly: true,
      help: false
    })
    expect(parseCli(["-h"]).help).toBe(true)
  })

  it("ignores the separator pnpm forwards before the flags", () => {
    expect(parseCli(["--", "--profile", "prod"]).profile).toBe("prod")
    expect(() => parseCli(["--profile", "prod", "--", "x"])).toThrow(UsageError)
  })

  it("refuses unknown flags, positionals and an empty profile with one line", () => {
    expect(() => parseCli(["--bogus"])).toThrow(UsageError)
    expect(() => parseCli(["extra"])).toThrow(UsageError)
    expect(() => parseCli(["--profile", " "])).toThrow("--profile needs a profile name")
    try {
      parseCli(["--bogus"])
    } catch (error) {
      expect(String(error instanceof Error ? error.message : error)).not.toContain("\n")
    }
  })
})
