import { Option } from "effect"

/** `{ [key]: value }` when the option is set, `{}` otherwise: builds payloads where absent means unchanged. */
export const field = <K extends string, A>(key: K, option: Option.Option<A>): { [P in K]?: A } =>
  Option.match(option, { onNone: () => ({}), onSome: (value) => ({ [key]: value }) as { [P in K]?: A } })
