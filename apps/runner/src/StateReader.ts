import type { IcpConfig } from "@bullseye-partner/core/Domain/IcpConfig"
import { IcpConfigs } from "@bullseye-partner/core/IcpConfigs"
import { Organizations } from "@bullseye-partner/core/Organizations"
import { Chunk, Effect, Stream } from "effect"
import { matches, needs, type CurrentState, type PlanInput } from "./Planner.js"
import type { PixelSettings } from "./Step.js"

/** Reads the state a plan needs: every organization, and pixels or ICP configs of the selected ones when asked for. */
export const readState = Effect.fn("StateReader.readState")(function* (input: PlanInput) {
  const organizations = yield* Organizations
  const icpConfigs = yield* IcpConfigs
  const all = Chunk.toReadonlyArray(yield* Stream.runCollect(organizations.listAll()))
  const wanted = needs(input.actions)
  const selected = input.actions.length === 0 ? [] : all.filter((o) => matches(input.select, o))
  const pixels = new Map<string, PixelSettings>()
  const configs = new Map<string, ReadonlyArray<IcpConfig>>()
  yield* Effect.forEach(
    selected,
    (org) =>
      Effect.all(
        [
          wanted.pixels
            ? Effect.map(organizations.getPixel(org.id), (p) =>
                pixels.set(org.id, { allowedDomains: p.allowedDomains, enabled: p.enabled })
              )
            : Effect.void,
          wanted.icpConfigs
            ? Effect.map(icpConfigs.list(org.id), (list) => configs.set(org.id, list))
            : Effect.void
        ],
        { discard: true }
      ),
    { concurrency: 16, discard: true }
  )
  return { organizations: all, pixels, icpConfigs: configs } satisfies CurrentState
})
