import { allowed, type Binding, type Capabilities } from "../Keybindings.js"
import { useTheme } from "../Theme.js"
import { Box, Text } from "./Text.js"

const keysOf = (binding: Binding) => binding.keys.join("/")

/** The keys of the current screen and the global ones; unavailable write actions are marked. */
export const HelpOverlay = ({
  title,
  screen,
  global,
  capabilities
}: {
  readonly title: string
  readonly screen: ReadonlyArray<Binding>
  readonly global: ReadonlyArray<Binding>
  readonly capabilities: Capabilities
}) => {
  const theme = useTheme()
  const row = (binding: Binding) => {
    const ok = allowed(binding, capabilities)
    return (
      <Text key={`${binding.action}-${keysOf(binding)}`} color={ok ? undefined : theme.muted}>
        {keysOf(binding).padEnd(18)}
        {binding.help}
        {ok ? "" : ` (unavailable: needs ${binding.needs ?? "write"})`}
      </Text>
    )
  }
  return (
    <Box flexDirection="column" flexShrink={0} borderStyle="round" borderColor={theme.accent} paddingX={1}>
      <Text bold>Keys: {title}</Text>
      {screen.length === 0 ? <Text color={theme.muted}>(no screen keys)</Text> : screen.map(row)}
      <Text bold>Everywhere</Text>
      <Text>{"1-7".padEnd(18)}switch screen</Text>
      {global.filter((b) => !b.action.startsWith("screen:")).map(row)}
      <Text color={theme.muted}>Esc or ? closes this help</Text>
    </Box>
  )
}
