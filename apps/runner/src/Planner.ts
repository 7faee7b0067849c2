import type { IcpConfig } from "@bullseye-partner/core/Domain/IcpConfig"
import type { Organization } from "@bullseye-partner/core/Domain/Organization"
import { sameJson } from "./internal/canonical.js"
import type { Action, ProvisionEntry, Selector } from "./Spec.js"
import {
  type IcpFields,
  type OrganizationFields,
  type OrganizationRef,
  type PixelSettings,
  samePixel,
  type Step,
  type StepAction
} from "./Step.js"

/** The state a plan is computed from. */
export interface CurrentState {
  readonly organizations: ReadonlyArray<Organization>
  /** Pixels of the selected organizations (read only when an action needs them). */
  readonly pixels: ReadonlyMap<string, PixelSettings>
  /** ICP configs of the selected organizations (read only when an action needs them). */
  readonly icpConfigs: ReadonlyMap<string, ReadonlyArray<IcpConfig>>
}

/** What to plan: selected organizations get the actions; provision entries are created or updated. */
export interface PlanInput {
  readonly select: Selector
  readonly actions: ReadonlyArray<Action>
  readonly provision: ReadonlyArray<ProvisionEntry>
}

/** Whether an organization is selected; with no status condition canceled ones are left out. */
export const matches = (select: Selector, org: Organization): boolean => {
  if (select.status === undefined ? org.status === "canceled" : !select.status.some((s) => s === org.status))
    return false
  if (select.tier !== undefined && !select.tier.includes(org.tier)) return false
  if (
    select.externalIds !== undefined &&
    (org.externalId === null || !select.externalIds.includes(org.externalId))
  )
    return false
  if (
    select.externalIdPrefix !== undefined &&
    (org.externalId === null || !org.externalId.startsWith(select.externalIdPrefix))
  )
    return false
  if (
    select.nameContains !== undefined &&
    !org.name.toLowerCase().includes(select.nameContains.toLowerCase())
  )
    return false
  if (select.metadata !== undefined) {
    for (const [key, value] of Object.entries(select.metadata)) {
      if (!Object.hasOwn(org.metadata, key) || !sameJson(org.metadata[key], value)) return false
    }
  }
  return true
}

/** Which extra reads the actions need. */
export const needs = (actions: ReadonlyArray<Action>) => ({
  pixels: actions.some((a) => a._tag === "setPixel"),
  icpConfigs: actions.some((a) => a._tag === "upsertIcpConfig" || a._tag === "deleteIcpConfig")
})

interface Simulated {
  credits: number
  tier: Organization["tier"]
  status: Organization["status"]
  metadata: Record<string, unknown>
  pixel: PixelSettings | undefined
  icp: Array<{ id: string; name: string; rules: unknown; active: boolean; priority: number }>
}

// `null` in mergeMetadata removes the key, so a spec can also clean metadata up.
const merged = (current: Record<string, unknown>, patch: Record<string, unknown>) => {
  const next: Record<string, unknown> = { ...current }
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key]
    else next[key] = value
  }
  return next
}

const actionSteps = (state: Simulated, action: Action): ReadonlyArray<StepAction> => {
  switch (action._tag) {
    case "allocateCredits": {
      const { credits, notes } = action.value
      if (state.credits === credits) return []
      const step: StepAction = {
        _tag: "allocateCredits",
        from: state.credits,
        to: credits,
        ...(notes === undefined ? {} : { notes })
      }
      state.credits = credits
      return [step]
    }
    case "setTier": {
      if (state.tier === action.value) return []
      const step: StepAction = { _tag: "setTier", from: state.tier, to: action.value }
      state.tier = action.value
      return [step]
    }
    case "setStatus": {
      if (state.status === action.value) return []
      const step: StepAction = { _tag: "setStatus", from: state.status, to: action.value }
      state.status = action.value
      return [step]
    }
    case "mergeMetadata": {
      const to = merged(state.metadata, action.value)
      if (sameJson(to, state.metadata)) return []
      const step: StepAction = { _tag: "setMetadata", from: state.metadata, to }
      state.metadata = to
      return [step]
    }
    case "setPixel": {
      const from = state.pixel ?? { allowedDomains: [], enabled: false }
      const to: PixelSettings = {
        allowedDomains: action.value.allowedDomains ?? from.allowedDomains,
        enabled: action.value.enabled ?? from.enabled
      }
      if (samePixel(from, to)) return []
      state.pixel = to
      return [{ _tag: "setPixel", from, to }]
    }
    case "upsertIcpConfig": {
      const { name, rules, active, priority } = action.value
      const existing = state.icp.find((c) => c.name === name)
      if (existing === undefined) {
        state.icp.push({
          id: `new:${name}`,
          name,
          rules,
          active: active ?? true,
          priority: priority ?? state.icp.length + 1
        })
        return [
          {
            _tag: "createIcpConfig",
            name,
            rules,
            ...(active === undefined ? {} : { active }),
            ...(priority === undefined ? {} : { priority })
          }
        ]
      }
      const from: Record<string, unknown> = {}
      const to: Record<string, unknown> = {}
      if (!sameJson(existing.rules, rules)) {
        from["rules"] = existing.rules
        to["rules"] = rules
      }
      if (active !== undefined && existing.active !== active) {
        from["active"] = existing.active
        to["active"] = active
      }
      if (priority !== undefined && existing.priority !== priority) {
        from["priority"] = existing.priority
        to["priority"] = priority
      }
      if (Object.keys(to).length === 0) return []
      Object.assign(existing, to)
      return existing.id.startsWith("new:")
        ? []
        : [
            {
              _tag: "updateIcpConfig",
              icpConfigId: existing.id,
              name,
              from: from as IcpFields,
              to: to as IcpFields
            }
          ]
    }
    case "deleteIcpConfig": {
      const doomed = state.icp.filter((c) => c.name === action.value.name && !c.id.startsWith("new:"))
      state.icp = state.icp.filter((c) => c.name !== action.value.name)
      return doomed.map((c) => ({ _tag: "deleteIcpConfig", icpConfigId: c.id, name: c.name }))
    }
  }
}

const refOf = (org: Organization): OrganizationRef => ({
  id: org.id,
  externalId: org.externalId,
  name: org.name
})

const provisionSteps = (
  entry: ProvisionEntry,
  existing: Organization | undefined
): ReadonlyArray<StepAction> => {
  // The spec says "annual", the API "annually".
  const billingPeriod = entry.billingPeriod === "annual" ? "annually" : entry.billingPeriod
  if (existing === undefined) {
    const { metadata, billingPeriod: _, ...rest } = entry
    return [
      {
        _tag: "createOrganization",
        payload: {
          ...rest,
          ...(billingPeriod === undefined ? {} : { billingPeriod }),
          ...(metadata === undefined ? {} : { metadata })
        }
      }
    ]
  }
  const steps: Array<StepAction> = []
  const from: Record<string, unknown> = {}
  const to: Record<string, unknown> = {}
  const compare = (key: keyof OrganizationFields, wanted: unknown, current: unknown) => {
    if (wanted !== undefined && !sameJson(wanted, current)) {
      from[key] = current ?? null
      to[key] = wanted
    }
  }
  compare("name", entry.name, existing.name)
  compare("productType", entry.productType, existing.productType)
  compare("billingPeriod", billingPeriod, existing.billingPeriod)
  compare("billingDayOfMonth", entry.billingDayOfMonth, existing.billingDayOfMonth)
  compare("ownerUserId", entry.ownerUserId, existing.ownerUserId)
  if (entry.metadata !== undefined)
    compare("metadata", merged(existing.metadata, entry.metadata), existing.metadata)
  if (Object.keys(to).length > 0)
    steps.push({ _tag: "updateOrganization", from: from as OrganizationFields, to: to as OrganizationFields })
  if (entry.tier !== undefined && entry.tier !== existing.tier)
    steps.push({ _tag: "setTier", from: existing.tier, to: entry.tier })
  return steps
}

/** The plan's steps, a pure function of the spec and the current state: only what would change. */
export const makeSteps = (
  input: PlanInput,
  state: CurrentState
): { readonly steps: ReadonlyArray<Step>; readonly selected: number } => {
  const steps: Array<Step> = []
  const add = (organization: OrganizationRef, actions: ReadonlyArray<StepAction>) => {
    const key = organization.id ?? `external:${organization.externalId ?? ""}`
    actions.forEach((action) =>
      steps.push({ id: `${key}#${steps.length + 1}:${action._tag}`, organization, action })
    )
  }
  const live = new Map<string, Organization>()
  for (const org of state.organizations) {
    if (org.status !== "canceled" && org.externalId !== null && !live.has(org.externalId))
      live.set(org.externalId, org)
  }
  // Actions on an organization that is also provisioned start from the state provisioning leaves.
  const provisioned = new Map<string, Organization>()
  for (const entry of input.provision) {
    const existing = live.get(entry.externalId)
    add(
      existing === undefined ? { id: null, externalId: entry.externalId, name: entry.name } : refOf(existing),
      provisionSteps(entry, existing)
    )
    if (existing !== undefined) {
      provisioned.set(existing.id, {
        ...existing,
        tier: entry.tier ?? existing.tier,
        metadata: entry.metadata === undefined ? existing.metadata : merged(existing.metadata, entry.metadata)
      })
    }
  }
  let selected = 0
  if (input.actions.length > 0) {
    for (const original of state.organizations) {
      if (!matches(input.select, original)) continue
      const org = provisioned.get(original.id) ?? original
      selected++
      const simulated: Simulated = {
        credits: org.credits,
        tier: org.tier,
        status: org.status,
        metadata: { ...org.metadata },
        pixel: state.pixels.get(org.id),
        icp: (state.icpConfigs.get(org.id) ?? []).map((c) => ({
          id: c.id,
          name: c.name,
          rules: c.rules,
          active: c.active,
          priority: c.priority
        }))
      }
      add(
        refOf(org),
        input.actions.flatMap((action) => actionSteps(simulated, action))
      )
    }
  }
  return { steps, selected: selected + input.provision.length }
}
