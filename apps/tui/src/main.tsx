import { dataDirectory } from "@bullseye-partner/sandbox/DataDirectory"
import { parseCli, UsageError } from "./Cli.js"

const fail = (message: string, code: number): never => {
  process.stderr.write(`bullseye-tui: ${message.replace(/\s*\n\s*/g, " ")}\n`)
  process.exit(code)
}

const options = (() => {
  try {
    return parseCli(process.argv.slice(2))
  } catch (error) {
    return fail(`${error instanceof UsageError ? error.message : String(error)} (see bullseye-tui --help)`, 2)
  }
})()

if (options.output !== undefined) {
  process.stdout.write(options.output)
  process.exit(0)
}

const env = process.env
const color = (env["NO_COLOR"] ?? "") === "" && env["TERM"] !== "dumb"
const dataDir = dataDirectory(env)

// Loaded after the flags are checked, so --help and flag errors answer at once.
// Modules, not the package indexes: a bundle keeps every export of a dynamically imported index.
const [PartnerConfig, NodeContext, Effect, Exit, Layer, ManagedRuntime, Option, { describeCause }] =
  await Promise.all([
    import("@bullseye-partner/core/PartnerConfig"),
    import("@effect/platform-node/NodeContext"),
    import("effect/Effect"),
    import("effect/Exit"),
    import("effect/Layer"),
    import("effect/ManagedRuntime"),
    import("effect/Option"),
    import("./ErrorMessage.js")
  ])

const configExit = await Effect.runPromiseExit(
  PartnerConfig.resolve({ profile: options.profile }).pipe(Effect.provide(NodeContext.layer))
)
if (Exit.isFailure(configExit)) fail(describeCause(configExit.cause), 1)
const config = Exit.isSuccess(configExit) ? configExit.value : undefined
if (config === undefined) process.exit(1)

if (!process.stdin.isTTY || !process.stdout.isTTY) {
  fail("needs an interactive terminal (stdin and stdout must be a TTY)", 2)
}

const embedded = Option.isNone(config.apiKey)
if (embedded) process.stdout.write("Starting the local sandbox (no API key configured)…\n")

const { ConnectionTag, fromConnectionLayer, silentLogging } = await import("./AppLayer.js")
const { Session } = await import("./Session.js")

const connection = Option.isSome(config.apiKey)
  ? Layer.succeed(ConnectionTag, {
      baseUrl: config.baseUrl,
      apiKey: config.apiKey.value,
      mode: "api" as const,
      profile: Option.getOrUndefined(config.profile),
      readOnly: options.readOnly
    })
  : // Loaded only when needed, so a configured key never pays for the sandbox's modules.
    Layer.unwrapEffect(
      Effect.promise(() => import("./EmbeddedSandbox.js")).pipe(
        Effect.map((sandbox) => sandbox.layer({ dataDir, readOnly: options.readOnly }))
      )
    )

const runtime = ManagedRuntime.make(fromConnectionLayer(connection).pipe(Layer.provide(silentLogging)))
// The runtime (and the embedded sandbox) starts while the UI modules load.
const starting = runtime.runPromiseExit(Session)
const [{ render }, { App }, { RuntimeContext, settleQueries }, { makeTheme, ThemeContext }, { KeyStdin }] =
  await Promise.all([
    import("ink"),
    import("./App.js"),
    import("./Runtime.js"),
    import("./Theme.js"),
    import("./KeyInput.js")
  ])
const started = await starting
if (Exit.isFailure(started)) {
  await runtime.dispose()
  fail(describeCause(started.cause), 1)
}
if (!embedded) {
  // A refused key is a configuration problem: say so once instead of on every screen.
  const { PartnerAccount } = await import("@bullseye-partner/core/PartnerAccount")
  const probe = await runtime.runPromiseExit(Effect.flatMap(PartnerAccount, (p) => p.me()))
  if (Exit.isFailure(probe) && describeCause(probe.cause).startsWith("The API key was refused")) {
    await runtime.dispose()
    fail(
      `${describeCause(probe.cause)} by ${config.baseUrl}: check BULLSEYE_API_KEY or the profile${config.source === "profile" ? ` ${Option.getOrElse(config.profile, () => "")}` : ""}`,
      1
    )
  }
}

// The alternate screen keeps the user's scrollback intact and gives the UI the whole terminal.
process.stdout.write("\u001B[?1049h")
const instance = render(
  <RuntimeContext.Provider value={runtime}>
    <ThemeContext.Provider value={makeTheme(color)}>
      <App />
    </ThemeContext.Provider>
  </RuntimeContext.Provider>,
  // One key per read, however the terminal batched them (see KeyInput.ts).
  { exitOnCtrlC: true, stdin: new KeyStdin(process.stdin) as unknown as NodeJS.ReadStream }
)
const stop = () => instance.unmount()
process.once("SIGTERM", stop)
process.once("SIGHUP", stop)
await instance.waitUntilExit()
process.stdout.write("\u001B[?1049l")
// Running queries finish their clean-up (listen mode restores the webhook channel) before the
// runtime, and with it the embedded sandbox, stops.
await settleQueries()
await runtime.dispose()
process.exit(0)
