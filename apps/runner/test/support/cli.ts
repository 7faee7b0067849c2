import { IcpConfigs } from "@bullseye-partner/core/IcpConfigs"
import { Organizations } from "@bullseye-partner/core/Organizations"
import * as PartnerClient from "@bullseye-partner/core/PartnerClient"
import * as RateLimitGovernor from "@bullseye-partner/core/RateLimitGovernor"
import type { RetryPolicy } from "@bullseye-partner/core/RetryPolicy"
import { Webhooks } from "@bullseye-partner/core/Webhooks"
import type { SandboxHandle } from "@bullseye-partner/sandbox/SandboxTest"
import * as UndiciHttpClient from "@bullseye-partner/core/UndiciHttpClient"
import { NodeContext } from "@effect/platform-node"
import { afterAll } from "@effect/vitest"
import { ConfigProvider, Effect, Layer, Redacted, Ref } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { PassThrough } from "node:stream"
import { join } from "node:path"
import { run } from "../../src/Cli.js"
import { reportFailure } from "../../src/Failure.js"
import { ExitCode } from "../../src/internal/cli.js"
import { Output } from "../../src/Output.js"

/** Output collected in memory. */
const memoryOutput = () => {
  const out: Array<string> = []
  const err: Array<string> = []
  const layer = Layer.succeed(
    Output,
    Output.of({
      out: (text) => Effect.sync(() => void out.push(text)),
      err: (text) => Effect.sync(() => void err.push(text)),
      errStream: new PassThrough(),
      stdinIsTty: false,
      stdoutIsTty: false,
      stderrIsTty: false,
      color: false
    })
  )
  return { layer, out: () => out.join(""), err: () => err.join("") }
}

/** What one in-process run of `bullseye-run` printed and its exit code. */
export interface CliResult {
  readonly code: number
  readonly out: string
  readonly err: string
}

/** Runs `bullseye-run <args>` in this process with the given environment (no process.env). */
export const runCli = (args: ReadonlyArray<string>, env: Record<string, string>) =>
  Effect.gen(function* () {
    const output = memoryOutput()
    const exitCode = yield* Ref.make(0)
    const code = yield* run(["node", "bullseye-run", ...args]).pipe(
      Effect.provideService(ExitCode, exitCode),
      Effect.matchCauseEffect({ onFailure: reportFailure, onSuccess: () => Ref.get(exitCode) }),
      Effect.provide(output.layer)
    )
    return { code, out: output.out(), err: output.err() } satisfies CliResult
  }).pipe(
    Effect.provide(Layer.mergeAll(NodeContext.layer, UndiciHttpClient.layer)),
    Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))
  )

/** The environment pointing the runner at a test sandbox, with its data directory (journal) in `dataHome`. */
export const sandboxEnv = (sandbox: SandboxHandle, dataHome: string): Record<string, string> => ({
  BULLSEYE_API_KEY: Redacted.value(sandbox.apiKey),
  BULLSEYE_BASE_URL: sandbox.baseUrl,
  XDG_DATA_HOME: dataHome,
  XDG_CONFIG_HOME: dataHome,
  HOME: dataHome
})

/** The SDK's services over a test sandbox, for setting up and checking state. */
export const sdkLayer = (sandbox: SandboxHandle, retryPolicy?: RetryPolicy) =>
  Layer.mergeAll(Organizations.Default, IcpConfigs.Default, Webhooks.Default).pipe(
    Layer.provideMerge(
      Layer.unwrapEffect(
        Effect.map(RateLimitGovernor.make, (governor) =>
          PartnerClient.layer({ baseUrl: sandbox.baseUrl, apiKey: sandbox.apiKey, governor, retryPolicy })
        )
      )
    ),
    Layer.provide(UndiciHttpClient.layer)
  )

const created: Array<string> = []

afterAll(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** A fresh temporary directory, removed after the test file. */
export const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "bullseye-run-"))
  created.push(dir)
  return dir
}
