// Where the SDK's time goes: the same 100-organization page through growing stacks of the SDK over its own
// HTTP client (UndiciHttpClient) on an in-process dispatcher (no network), CPU µs per call, best and median of
// several batches.
import { HttpClient } from "@effect/platform"
import { makeCaller } from "@bullseye-partner/core/internal/caller"
import { makeTransport } from "@bullseye-partner/core/internal/transport"
import { Organizations } from "@bullseye-partner/core/Organizations"
import * as PartnerClient from "@bullseye-partner/core/PartnerClient"
import { RateLimitGovernor } from "@bullseye-partner/core/RateLimitGovernor"
import * as RetryPolicy from "@bullseye-partner/core/RetryPolicy"
import * as UndiciHttpClient from "@bullseye-partner/core/UndiciHttpClient"
import { Effect, Layer, ManagedRuntime, Redacted } from "effect"
import { pool as inParallel } from "../support.js"
import { pageBody, pageHeaders } from "./page.js"

const calls = Number(process.env.BENCH_CALLS ?? 2000)
const batches = Number(process.env.BENCH_BATCHES ?? 7)
const only = process.env.BENCH_ONLY

const bytes = new TextEncoder().encode(pageBody(Number(process.env.BENCH_PAGE ?? 100)))

// Answers on a later turn of the event loop, so requests overlap as they do over a network.
const later = () => new Promise<void>((resolve) => setImmediate(resolve))
const dispatcher = {
  request: () =>
    later().then(() => ({
      statusCode: 200,
      headers: pageHeaders(),
      body: { bytes: () => Promise.resolve(bytes) }
    }))
} as unknown as Parameters<typeof UndiciHttpClient.make>[0]
const fake = UndiciHttpClient.make(dispatcher)
const baseUrl = "http://127.0.0.1:1/api/v1"
const governor = Effect.runSync(RateLimitGovernor.make)
const policy = RetryPolicy.RetryPolicy.default

const list = (client: HttpClient.HttpClient) => {
  const caller = makeCaller(client, baseUrl)
  return () => Effect.runPromise(caller.organizations.list({ urlParams: { pageSize: 100 } }))
}

const runtime = ManagedRuntime.make(
  Organizations.Default.pipe(
    Layer.provideMerge(PartnerClient.layer({ baseUrl, apiKey: Redacted.make("pk_test_bench"), governor })),
    Layer.provide(Layer.succeed(HttpClient.HttpClient, fake))
  )
)
const service = await runtime.runPromise(Organizations)
const partnerClient = await runtime.runPromise(PartnerClient.PartnerClient)

const layers: Array<[string, () => Promise<unknown>]> = [
  ["floor", async () => JSON.parse(await later().then(() => new TextDecoder().decode(bytes)))],
  [
    "client",
    () =>
      Effect.runPromise(
        Effect.flatMap(fake.get(`${baseUrl}/partner/organizations?pageSize=100`), (r) =>
          Effect.map(r.text, JSON.parse)
        )
      )
  ],
  ["caller", list(fake)],
  ["+ timeout", list(fake.pipe(RetryPolicy.withAttemptTimeout(policy.attemptTimeoutMs)))],
  ["+ governor", list(fake.pipe(RateLimitGovernor.transformClient(governor)))],
  ["+ retry", list(fake.pipe(RetryPolicy.transformClient(policy)))],
  ["+ transport", list(fake.pipe(makeTransport({ governor })))],
  [
    "PartnerClient.run",
    () =>
      Effect.runPromise(
        partnerClient.run("organizations", "list", (c) => c.list({ urlParams: { pageSize: 100 } }))
      )
  ],
  ["Organizations.list", () => Effect.runPromise(service.list({ pageSize: 100 }))]
]

// 8 at a time, as in the benchmark.
const pool = (n: number, task: () => Promise<unknown>) => inParallel(n, 8, task)

// Batches of every stack alternate, so a noisy moment of the machine spreads over all of them.
const selected = layers.filter(([name]) => only === undefined || name.includes(only))
for (const [, run] of selected) await pool(300, run)
const times = new Map<string, Array<number>>()
for (let b = 0; b < batches; b++) {
  for (const [name, run] of selected) {
    // CPU time rather than wall time: other processes share the machine.
    const cpu0 = process.cpuUsage()
    await pool(calls, run)
    const cpu = process.cpuUsage(cpu0)
    times.set(name, [...(times.get(name) ?? []), (cpu.user + cpu.system) / calls])
  }
}
for (const [name, batch] of times) {
  batch.sort((a, b) => a - b)
  console.log(
    `${name.padEnd(20)} best ${batch[0]!.toFixed(0)} µs, median ${batch[Math.floor(batch.length / 2)]!.toFixed(0)} µs`
  )
}
await runtime.dispose()
