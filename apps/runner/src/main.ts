import * as UndiciHttpClient from "@bullseye-partner/core/UndiciHttpClient"
import { NodeContext, NodeRuntime } from "@effect/platform-node"
import { Effect, Layer, Logger, LogLevel, Ref } from "effect"
import { run } from "./Cli.js"
import { reportFailure } from "./Failure.js"
import { ExitCode } from "./internal/cli.js"
import { withPlainConsole } from "./internal/plainConsole.js"
import { Output } from "./Output.js"

const noColor = (process.env["NO_COLOR"] ?? "") !== ""

const output = Output.streams({
  stdinIsTty: process.stdin.isTTY === true,
  stdout: process.stdout,
  stderr: process.stderr,
  noColor
})

const program = Effect.gen(function* () {
  const exitCode = yield* Ref.make(0)
  const code = yield* run(process.argv).pipe(
    Effect.provideService(ExitCode, exitCode),
    Effect.matchCauseEffect({ onFailure: reportFailure, onSuccess: () => Ref.get(exitCode) })
  )
  process.exitCode = code
}).pipe((effect) => (noColor || process.stdout.isTTY !== true ? withPlainConsole(effect) : effect))

program.pipe(
  Effect.provide(Layer.mergeAll(output, NodeContext.layer, UndiciHttpClient.layer)),
  Effect.provide(Logger.replace(Logger.defaultLogger, Logger.withConsoleError(Logger.logfmtLogger))),
  Logger.withMinimumLogLevel(LogLevel.Warning),
  NodeRuntime.runMain({
    disableErrorReporting: true,
    // Open sockets or the embedded sandbox's timers must not keep a finished command alive.
    teardown: (_exit, onExit) => {
      onExit(typeof process.exitCode === "number" ? process.exitCode : 1)
      process.exit()
    }
  })
)
