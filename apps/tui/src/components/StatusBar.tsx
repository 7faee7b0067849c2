import type { GovernorState } from "@bullseye-partner/core/RateLimitGovernor"
import { Option } from "effect"
import type { SessionInfo } from "../Session.js"
import { useTheme } from "../Theme.js"
import { Box, Text } from "./Text.js"

/** `remaining/limit` and the seconds until the window resets, as the governor knows them. */
export const meterText = (state: GovernorState | undefined, now: number): string => {
  if (state === undefined || Option.isNone(state.limit) || Option.isNone(state.remaining)) return "rate –"
  const reset = Option.match(state.resetAt, {
    onNone: () => "",
    onSome: (at) => ` ↻${Math.max(0, Math.ceil((at - now) / 1000))}s`
  })
  const queued = state.queued > 0 ? ` ${state.queued} queued` : ""
  return `rate ${state.remaining.value}/${state.limit.value}${reset}${state.paused ? " paused" : ""}${queued}`
}

/** The bottom line: where the TUI is connected, whether it may write, and the live rate-limit meter. */
export const StatusBar = ({
  session,
  meter,
  now,
  readOnlyReason
}: {
  readonly session: SessionInfo
  readonly meter: GovernorState | undefined
  readonly now: number
  readonly readOnlyReason: string | undefined
}) => {
  const theme = useTheme()
  const low =
    meter !== undefined &&
    Option.isSome(meter.remaining) &&
    Option.isSome(meter.limit) &&
    meter.remaining.value < meter.limit.value * 0.1
  return (
    <Box justifyContent="space-between" width="100%">
      <Text wrap="truncate-end">
        {session.mode === "sandbox" ? (
          <Text color={theme.badge} bold inverse>
            {" SANDBOX "}
          </Text>
        ) : (
          <Text color={theme.accent} bold>
            {session.profile === undefined ? "env" : `profile ${session.profile}`}
          </Text>
        )}{" "}
        {readOnlyReason === undefined ? null : (
          <Text color={theme.warn} bold>
            READ-ONLY{" "}
          </Text>
        )}
        <Text color={theme.muted}>{session.baseUrl}</Text>
      </Text>
      <Text color={low ? theme.error : theme.muted}> {meterText(meter, now)}</Text>
    </Box>
  )
}
