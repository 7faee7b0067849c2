import { Text } from "./Text.js"
import { useTheme } from "../Theme.js"

/** A horizontal bar: `used` of `total` filled. */
export const Bar = ({
  used,
  total,
  width
}: {
  readonly used: number
  readonly total: number
  readonly width: number
}) => {
  const theme = useTheme()
  const ratio = total <= 0 ? 0 : Math.min(1, Math.max(0, used / total))
  const filled = Math.round(ratio * width)
  const color = ratio > 0.9 ? theme.error : ratio > 0.7 ? theme.warn : theme.ok
  return (
    <Text>
      <Text color={color}>{"█".repeat(filled)}</Text>
      <Text color={theme.muted}>{"░".repeat(width - filled)}</Text>
    </Text>
  )
}
