import { Context, Layer, Redacted } from "effect"
import { randomBase62 } from "../internal/random.js"

/** The header that authenticates control-plane requests. */
export const ControlTokenHeader = "X-Sandbox-Token"

/** The token of the control plane (`/_sandbox`), new at every start; never stored. */
export class ControlToken extends Context.Tag("@bullseye-partner/sandbox/ControlToken")<
  ControlToken,
  Redacted.Redacted<string>
>() {
  static random = Layer.sync(ControlToken, () => Redacted.make(`sbx_${randomBase62(40)}`))
  static fromValue = (token: Redacted.Redacted<string>): Layer.Layer<ControlToken> =>
    Layer.succeed(ControlToken, token)
}
