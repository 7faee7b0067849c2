// Where the SDK's time goes: the same 100-organization page through growing stacks of the SDK over an
// in-process fake HTTP client (no network), CPU µs per call, best and median of several batches.
import { HttpClient, HttpClientResponse } from "@effect/platform"
import { makeCaller } from "@bullseye-partner/core/internal/caller"
import { makeTransport } from "@bullseye-partner/core/internal/transport"
import { Organizations } from "@bullseye-partner/core/Organizations"
import * as PartnerClient from "@bullseye-partner/core/PartnerClient"
import { RateLimitGovernor } from "@bullseye-partner/core/RateLimitGovernor"
import * as RetryPolicy from "@bullseye-partner/core/RetryPolicy"
import { Effect, Layer, ManagedRuntime, Redacted } from "effect"
import { pageBody, pageHeaders } from "./page.js"

const calls = Number(process.env.BENCH_CALLS ?? 1000)
const batches = Number(process.env.BENCH_BATCHES ?? 7)
const only = process.env.BENCH_ONLY

const body = pageBody(Number(process.env.BENCH_PAGE ?? 100))

// Answers on a later turn of the event loop, so requests overlap as they do over a network.
const later = () => new Promise<void>((resolve) => setImmediate(resolve))
const fake = HttpClient.make((request) =>
  Effect.promise(() =>
    later().then(() => HttpClientResponse.fromWeb(request, new Response(body, { headers: pageHeaders() })))
  )
)
const baseUrl = "http://127.0.0.1:1/api/v1"
const governor = Effect.runSync(RateLimitGovernor.make)
const policy = RetryPolicy.RetryPolicy.default

const list = (client: HttpClient.HttpClient) => {
  const caller = makeCaller(client, baseUrl)
  return () =>
    Effect.runPromise(
      Effect.map(caller.organizations.list({ urlParams: { pageSize: 100 } }), (p) => p.organizations.length)
    )
}

const orgs = ManagedRuntime.make(
  Organizations.Default.pipe(
    Layer.provide(PartnerClient.layer({ baseUrl, apiKey: Redacted.make("pk_test_bench"), governor })),
    Layer.provide(Layer.succeed(HttpClient.HttpClient, fake))
  )
)
const service = await orgs.runPromise(Organizations)

const layers: Array<[string, () => Promise<unknown>]> = [
  [
    "floor",
    async () =>
      JSON.parse(await (await later().then(() => new Response(body, { headers: pageHeaders() }))).text())
  ],
  ["caller", list(fake)],
  ["+ timeout", list(fake.pipe(RetryPolicy.withAttemptTimeout(policy.attemptTimeoutMs)))],
  ["+ governor", list(fake.pipe(RateLimitGovernor.transformClient(governor)))],
  ["+ transport", list(fake.pipe(makeTransport({ governor })))],
  ["Organizations.list", () => Effect.runPromise(service.list({ pageSize: 100 }))]
]

// 8 at a time, as in the benchmark.
const pool = async (n: number, task: () => Promise<unknown>) => {
  let next = 0
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next++ < n) await task()
    })
  )
}

for (const [name, run] of layers) {
  if (only !== undefined && !name.includes(only)) continue
  await pool(200, run)
  const times: Array<number> = []
  for (let b = 0; b < batches; b++) {
    // CPU time rather than wall time: other processes share the machine.
    const cpu0 = process.cpuUsage()
    await pool(calls, run)
    const cpu = process.cpuUsage(cpu0)
    times.push((cpu.user + cpu.system) / calls)
  }
  times.sort((a, b) => a - b)
  console.log(
    `${name.padEnd(20)} best ${times[0]!.toFixed(0)} µs, median ${times[Math.floor(batches / 2)]!.toFixed(0)} µs`
  )
}
await orgs.dispose()
