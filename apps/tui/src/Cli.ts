import { type CliFlag, completionScript, isShell, shells } from "@bullseye-partner/sandbox/CliCompletions"
import { parseArgs } from "node:util"
import packageJson from "../package.json" with { type: "json" }

/** What the command line asked for. */
export interface CliOptions {
  readonly profile: string | undefined
  readonly readOnly: boolean
  /** Text to print instead of starting (--help, --version, --completions). */
  readonly output: string | undefined
}

/** A bad flag, reported as one line with a pointer to --help. */
export class UsageError extends Error {
  override readonly name = "UsageError"
}

export const usage = `Usage: bullseye-tui [options]

The Bullseye partner console in the terminal.

With no API key configured it starts a local sandbox in-process (data in
$XDG_DATA_HOME/bullseye-partner, demo data on first start).

Options:
  --profile NAME   use a saved profile from $XDG_CONFIG_HOME/bullseye-partner/config.json
  --read-only      show write actions as unavailable
  --completions SHELL
                   print a completion script for bash, zsh or fish
                   (e.g. source <(bullseye-tui --completions bash))
  --version        print the version
  -h, --help       show this help

Environment: BULLSEYE_API_KEY, BULLSEYE_BASE_URL, BULLSEYE_PROFILE, NO_COLOR.
Keys: 1-7 screens, : command palette, / filter, ? help, Esc back, r refresh, q quit.
`

const flags: ReadonlyArray<CliFlag> = [
  { name: "profile", description: "use a saved profile", value: "text" },
  { name: "read-only", description: "show write actions as unavailable" },
  { name: "completions", description: "print a completion script", value: shells },
  { name: "version", description: "print the version" },
  { name: "help", short: "h", description: "show this help" }
]

const output = (values: { help?: boolean; version?: boolean; completions?: string }): string | undefined => {
  if (values.help === true) return usage
  if (values.version === true) return `${packageJson.version}\n`
  if (values.completions === undefined) return undefined
  if (!isShell(values.completions))
    throw new UsageError(`--completions must be bash, zsh or fish (got "${values.completions}")`)
  return completionScript(values.completions, "bullseye-tui", flags)
}

/** Parses argv (without node and script); throws UsageError on anything unknown. */
export const parseCli = (argv: ReadonlyArray<string>): CliOptions => {
  try {
    const { values } = parseArgs({
      // `pnpm start -- --profile x` forwards the separator itself; it carries no meaning here.
      args: argv[0] === "--" ? argv.slice(1) : [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        profile: { type: "string" },
        "read-only": { type: "boolean" },
        completions: { type: "string" },
        version: { type: "boolean" },
        help: { type: "boolean", short: "h" }
      }
    })
    if (values.profile !== undefined && values.profile.trim() === "") {
      throw new UsageError("--profile needs a profile name")
    }
    return { profile: values.profile, readOnly: values["read-only"] === true, output: output(values) }
  } catch (error) {
    if (error instanceof UsageError) throw error
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error)
    throw new UsageError(message ?? "invalid arguments")
  }
}
