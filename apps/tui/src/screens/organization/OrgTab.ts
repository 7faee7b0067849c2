import type { Organization } from "@bullseye-partner/core/Domain/Organization"
import type { Key } from "ink"
import {
  allowed,
  match,
  refusal,
  screenBindings,
  type BindingContext,
  type Capabilities
} from "../../Keybindings.js"
import type { Notice } from "../../Runtime.js"

/** What the organization screen hands each tab. */
export interface OrgTabProps {
  readonly org: Organization
  readonly reload: () => void
  readonly active: boolean
  readonly width: number
  readonly height: number
  readonly capabilities: Capabilities
  readonly refreshTick: number
  readonly setCapture: (capture: boolean) => void
}

/** The action a key selects on a tab, or undefined; unavailable actions leave a refusal notice instead. */
export const actionOf = (
  context: BindingContext,
  input: string,
  key: Key,
  capabilities: Capabilities,
  setNotice: (notice: Notice | undefined) => void
): string | undefined => {
  const binding = match(screenBindings[context], input, key)
  if (binding === undefined) return undefined
  if (!allowed(binding, capabilities)) {
    setNotice({ kind: "error", text: refusal(binding, capabilities) })
    return undefined
  }
  return binding.action
}
