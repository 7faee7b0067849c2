import { Context, Effect, Layer } from "effect"

/** Where data (stdout) and diagnostics (stderr) go, and how to present them. */
export class Output extends Context.Tag("@bullseye-partner/runner/Output")<
  Output,
  {
    readonly out: (text: string) => Effect.Effect<void>
    readonly err: (text: string) => Effect.Effect<void>
    /** The diagnostics stream, for progress bars. */
    readonly errStream: NodeJS.WritableStream
    /** Whether stdout is a terminal (human tables) and stderr is one (progress bars). */
    readonly stdinIsTty: boolean
    readonly stdoutIsTty: boolean
    readonly stderrIsTty: boolean
    /** False when NO_COLOR is set or stderr is not a terminal. */
    readonly color: boolean
  }
>() {
  /** Output to two Node streams. */
  static readonly streams = (options: {
    readonly stdinIsTty: boolean
    readonly stdout: NodeJS.WriteStream
    readonly stderr: NodeJS.WriteStream
    readonly noColor: boolean
  }) =>
    Layer.succeed(
      Output,
      Output.of({
        out: (text) =>
          Effect.async<void>((resume) => void options.stdout.write(text, () => resume(Effect.void))),
        err: (text) => Effect.sync(() => void options.stderr.write(text)),
        errStream: options.stderr,
        stdinIsTty: options.stdinIsTty,
        stdoutIsTty: options.stdout.isTTY === true,
        stderrIsTty: options.stderr.isTTY === true,
        color: !options.noColor && options.stderr.isTTY === true
      })
    )
}
