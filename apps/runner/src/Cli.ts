import { Command } from "@effect/cli"
import { applyCommand, resumeCommand } from "./Commands/Apply.js"
import { doctorCommand } from "./Commands/Doctor.js"
import { execCommand } from "./Commands/Exec.js"
import { exportCommand } from "./Commands/Export.js"
import { icpCommand } from "./Commands/IcpConfigs.js"
import { organizationsCommand } from "./Commands/Organizations.js"
import { partnerCommands } from "./Commands/Partner.js"
import { planCommand } from "./Commands/Plan.js"

/** The `bullseye-run` command tree. */
export const command = Command.make("bullseye-run").pipe(
  Command.withDescription(
    "Scripted bulk operations across organizations. Connection: BULLSEYE_API_KEY and BULLSEYE_BASE_URL, or --profile; " +
      "with no key configured an embedded sandbox is used."
  ),
  Command.withSubcommands([
    planCommand,
    applyCommand,
    resumeCommand,
    exportCommand,
    execCommand,
    organizationsCommand,
    icpCommand,
    ...partnerCommands,
    doctorCommand
  ])
)

const runCommand = Command.run(command, { name: "bullseye-run", version: "0.1.0" })

/**
 * Parses `process.argv` (`node`, the script, then the arguments) and runs the chosen command. A leading `--` is
 * dropped: `pnpm x -- plan ...` forwards it verbatim, and no command starts with one.
 */
export const run = (argv: ReadonlyArray<string>) =>
  runCommand(argv[2] === "--" ? [...argv.slice(0, 2), ...argv.slice(3)] : argv)
