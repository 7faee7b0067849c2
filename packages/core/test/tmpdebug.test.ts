import { it } from "@effect/vitest"
import { Array, Effect } from "effect"
import { RateLimitGovernor } from "../src/RateLimitGovernor.js"
import * as FakeApi from "./support/FakeApi.js"
it.effect("debug", () =>
  Effect.gen(function* () {
    const { fake, client, run } = yield* FakeApi.setup({ limit: 100, latencyMs: 100, pipeline: "governor" })
    const other = RateLimitGovernor.transformClient(yield* RateLimitGovernor.make)(fake.client)
    const burst = (c: typeof client, n: number) =>
      Effect.forEach(Array.range(1, n), () => c.get(FakeApi.url), { concurrency: "unbounded" })
    yield* run(Effect.all([burst(client, 150), burst(other, 150)], { concurrency: "unbounded" }))
    const calls = yield* fake.calls
    const groups = new Map<string, number>()
    for (const c of calls) {
      const k = `${c.sentAt - FakeApi.T0} w${c.window} ${c.outcome}`
      groups.set(k, (groups.get(k) ?? 0) + 1)
    }
    console.log([...groups].map(([k, v]) => `${k}: ${v}`).join("\n"))
  })
)
