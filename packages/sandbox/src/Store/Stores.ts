import { Layer } from "effect"
import { Analytics } from "./Analytics.js"
import { ApiKeys } from "./ApiKeys.js"
import { Billing } from "./Billing.js"
import { Domains } from "./Domains.js"
import { IcpConfigs } from "./IcpConfigs.js"
import { Organizations } from "./Organizations.js"
import { Outbox } from "./Outbox.js"
import { Partners } from "./Partners.js"
import { SandboxState } from "./SandboxState.js"
import { Vault } from "./Vault.js"
import { Visitors } from "./Visitors.js"
import { Webhooks } from "./Webhooks.js"

/** Every store service over one `SqlClient`. */
export const layer = Layer.mergeAll(
  Analytics.Default,
  ApiKeys.Default,
  Billing.Default,
  Domains.Default,
  IcpConfigs.Default,
  Organizations.Default,
  Outbox.Default,
  Partners.Default,
  SandboxState.Default,
  Vault.Default,
  Visitors.Default,
  Webhooks.Default
)
