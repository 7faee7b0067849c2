// SDK overhead: the same GET /partner/organizations?pageSize=100 through the SDK and through plain
// fetch + JSON.parse, against one local server running in a child process, alternating rounds.
import { NodeHttpClient } from "@effect/platform-node"
import { Organizations } from "@bullseye-partner/core/Organizations"
import * as PartnerClient from "@bullseye-partner/core/PartnerClient"
import { RateLimitGovernor } from "@bullseye-partner/core/RateLimitGovernor"
import { Effect, Layer, ManagedRuntime, Redacted } from "effect"
import { spawn } from "node:child_process"
import { cpus } from "node:os"
import { fileURLToPath } from "node:url"

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

const pool = async (n: number, task: () => Promise<number>) => {
  let next = 0
  let total = 0
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < n) total += await task()
    })
  )
  return total
}

const median = (xs: Array<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN

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

  const layer = Organizations.Default.pipe(
    Layer.provide(
      PartnerClient.layer({
        baseUrl,
        apiKey: Redacted.make("pk_test_bench"),
        governor: Effect.runSync(RateLimitGovernor.make)
      })
    ),
    Layer.provide(NodeHttpClient.layerUndici)
  )
  const runtime = ManagedRuntime.make(layer)
  const orgs = await runtime.runPromise(Organizations)
  const sdk = () =>
    pool(requests, () =>
      Effect.runPromise(Effect.map(orgs.list({ pageSize: 100 }), (page) => page.organizations.length))
    )

  // Warm up both paths (JIT, connection pools) before measuring.
  await pool(200, async () => (await fetch(url, { headers })).text().then(() => 0))
  await Effect.runPromise(orgs.list({ pageSize: 100 }))

  const results: Array<{ wall: number; cpu: number; orgsPerSec: number }> = []
  for (let round = 0; round < rounds; round++) {
    const base = await measure(plain)
    const ours = await measure(sdk)
    results.push({
      wall: ours.wallMs / base.wallMs,
      cpu: ours.cpuMs / base.cpuMs,
      orgsPerSec: ours.organizations / (ours.wallMs / 1000)
    })
    console.error(
      `round ${round + 1}: fetch ${base.wallMs.toFixed(0)} ms wall / ${base.cpuMs.toFixed(0)} ms cpu; ` +
        `sdk ${ours.wallMs.toFixed(0)} ms wall / ${ours.cpuMs.toFixed(0)} ms cpu`
    )
  }
  server.stop()
  await runtime.dispose()
  const summary = {
    bench: "sdk-overhead",
    date: new Date().toISOString(),
    machine: `${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, node ${process.version}`,
    requests,
    rounds,
    concurrency,
    wallRatio: Number(median(results.map((r) => r.wall)).toFixed(3)),
    cpuRatio: Number(median(results.map((r) => r.cpu)).toFixed(3)),
    sdkOrganizationsPerSecond: Math.round(median(results.map((r) => r.orgsPerSec))),
    target: "wallRatio <= 1.5"
  }
  console.log(
    `SDK/fetch wall ${summary.wallRatio}x, cpu ${summary.cpuRatio}x; ${summary.sdkOrganizationsPerSecond} orgs/s decoded`
  )
  console.log(JSON.stringify(summary))
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
