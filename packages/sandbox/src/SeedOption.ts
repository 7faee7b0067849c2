/** The size of the demo data set. */
export interface DemoSize {
  readonly seed: number
  readonly organizations: number
  readonly visitorsPerOrg: number
}

export const defaultDemoSize: DemoSize = { seed: 42, organizations: 8, visitorsPerOrg: 25 }

/** What to put in a fresh store: just the partner and its key, or demo data as well. */
export type SeedOption = { readonly _tag: "Empty" } | ({ readonly _tag: "Demo" } & DemoSize)

export const emptySeed: SeedOption = { _tag: "Empty" }

export const demoSeed = (size: Partial<DemoSize> = {}): SeedOption => ({
  _tag: "Demo",
  ...defaultDemoSize,
  ...size
})
