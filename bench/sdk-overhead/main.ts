// SDK overhead: the same GET /partner/organizations?pageSize=100 through the SDK and through plain
// fetch + JSON.parse, against one local server running in a child process, alternating rounds. The SDK runs
// on its own HTTP client (UndiciHttpClient, what the apps use); the same SDK on @effect/platform-node's undici
// client is measured alongside, as the reason for having one.
import { NodeHttpClient } from "@effect/platform-node"
import { Organizations } from "@bullseye-partner/core/Organizations"
import * as PartnerClient from "@bullseye-partner/core/PartnerClient"
import { RateLimitGovernor } from "@bullseye-partner/core/RateLimitGovernor"
import * as UndiciHttpClient from "@bullseye-partner/core/UndiciHttpClient"
import type { HttpClient } from "@effect/platform"
import { Effect, Layer, ManagedRuntime, Redacted } from "effect"
import { spawn } from "node:child_process"
import { fileURLToPath } from "node:url"
import { machine, median, pool as inParallel } from "../support.js"

const requests = Number(process.env.BENCH_REQUESTS ?? 2000)
const rounds = Number(process.env.BENCH_ROUNDS ?? 3)
const concurrency = 8

const startServer = () =>
  new Promise<{ port: number; stop: () => void }>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", fileURLToPath(new URL("./server.ts", import.meta.url))],
      {
        stdio: ["ignore", "pipe", "inherit"]
      }
    )
    child.stdout.once("data", (chunk: Buffer) =>
      resolve({ port: Number(chunk.toString().trim()), stop: () => child.kill() })
    )
    child.once("error", reject)
  })

const measure = async (run: () => Promise<number>) => {
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const organizations = await run()
  const wallMs = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, organizations }
}

// The organizations decoded by `n` calls, `concurrency` at a time.
const pool = async (n: number, task: () => Promise<number>) =>
  (await inParallel(n, concurrency, task)).reduce((a, b) => a + b, 0)

const main = async () => {
  const server = await startServer()
  const baseUrl = `http://127.0.0.1:${server.port}/api/v1`
  const url = `${baseUrl}/partner/organizations?pageSize=100`
  const headers = { "X-Partner-API-Key": "pk_test_bench" }
  const plain = () =>
    pool(requests, async () => {
      const response = await fetch(url, { headers })
      const body = JSON.parse(await response.text()) as { organizations: Array<unknown> }
      return body.organizations.length
    })

  const sdkOn = async (http: Layer.Layer<HttpClient.HttpClient>) => {
    const runtime = ManagedRuntime.make(
      Organizations.Default.pipe(
        Layer.provide(
          PartnerClient.layer({
            baseUrl,
            apiKey: Redacted.make("pk_test_bench"),
            governor: Effect.runSync(RateLimitGovernor.make)
          })
        ),
        Layer.provide(http)
      )
    )
    const orgs = await runtime.runPromise(Organizations)
    const once = () =>
      Effect.runPromise(Effect.map(orgs.list({ pageSize: 100 }), (page) => page.organizations.length))
    const run = () => pool(requests, once)
    // Warm up (JIT, connection pool) before measuring.
    await pool(200, once)
    return { run, dispose: () => runtime.dispose() }
  }
  const sdk = await sdkOn(UndiciHttpClient.layer)
  const sdkPlatform = await sdkOn(NodeHttpClient.layerUndici)
  await pool(200, async () => (await fetch(url, { headers })).text().then(() => 0))

  const results: Array<{
    wall: number
    cpu: number
    orgsPerSec: number
    platformWall: number
    platformCpu: number
  }> = []
  for (let round = 0; round < rounds; round++) {
    const base = await measure(plain)
    const ours = await measure(sdk.run)
    const platform = await measure(sdkPlatform.run)
    results.push({
      wall: ours.wallMs / base.wallMs,
      cpu: ours.cpuMs / base.cpuMs,
      orgsPerSec: ours.organizations / (ours.wallMs / 1000),
      platformWall: platform.wallMs / base.wallMs,
      platformCpu: platform.cpuMs / base.cpuMs
    })
    const times = (m: { wallMs: number; cpuMs: number }) =>
      `${m.wallMs.toFixed(0)} ms wall / ${m.cpuMs.toFixed(0)} ms cpu`
    console.error(
      `round ${round + 1}: fetch ${times(base)}; sdk ${times(ours)}; sdk on the platform client ${times(platform)}`
    )
  }
  server.stop()
  await sdk.dispose()
  await sdkPlatform.dispose()
  const summary = {
    bench: "sdk-overhead",
    date: new Date().toISOString(),
    machine: machine().machine,
    requests,
    rounds,
    concurrency,
    wallRatio: Number(median(results.map((r) => r.wall)).toFixed(3)),
    cpuRatio: Number(median(results.map((r) => r.cpu)).toFixed(3)),
    sdkOrganizationsPerSecond: Math.round(median(results.map((r) => r.orgsPerSec))),
    onPlatformClient: {
      wallRatio: Number(median(results.map((r) => r.platformWall)).toFixed(3)),
      cpuRatio: Number(median(results.map((r) => r.platformCpu)).toFixed(3))
    },
    target: "wallRatio <= 1.5"
  }
  console.log(
    `SDK/fetch wall ${summary.wallRatio}x, cpu ${summary.cpuRatio}x; ${summary.sdkOrganizationsPerSecond} orgs/s decoded` +
      ` (on the platform's undici client: wall ${summary.onPlatformClient.wallRatio}x, cpu ${summary.onPlatformClient.cpuRatio}x)`
  )
  console.log(JSON.stringify(summary))
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
