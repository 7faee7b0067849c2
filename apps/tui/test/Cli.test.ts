import { execFileSync } from "node:child_process"
import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { parseCli, usage, UsageError } from "../src/Cli.js"

describe("parseCli", () => {
  it("reads --profile, --read-only and --help", () => {
    expect(parseCli([])).toEqual({ profile: undefined, readOnly: false, output: undefined })
    expect(parseCli(["--profile", "prod", "--read-only"])).toEqual({
      profile: "prod",
      readOnly: true,
      output: undefined
    })
    expect(parseCli(["-h"]).output).toBe(usage)
  })

  it("--version prints the package's version", () => {
    const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
      version: string
    }
    expect(parseCli(["--version"]).output).toBe(`${version}\n`)
  })

  it("--completions writes a script per shell that completes the flags", () => {
    const bash = parseCli(["--completions", "bash"]).output ?? ""
    const complete = (...words: ReadonlyArray<string>) =>
      execFileSync(
        "bash",
        [
          "-c",
          `eval "$SCRIPT"; COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}; _bullseye_tui; echo "\${COMPREPLY[*]}"`
        ],
        { env: { ...process.env, SCRIPT: bash }, encoding: "utf8" }
      ).trim()
    expect(complete("bullseye-tui", "--")).toBe("--profile --read-only --completions --version --help")
    expect(complete("bullseye-tui", "--completions", "")).toBe("bash zsh fish")
    expect(parseCli(["--completions", "zsh"]).output).toMatch(/^#compdef bullseye-tui\n/)
    expect(parseCli(["--completions", "fish"]).output).toContain("complete -c bullseye-tui -l read-only")
    expect(() => parseCli(["--completions", "ksh"])).toThrow(
      '--completions must be bash, zsh or fish (got "ksh")'
    )
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
