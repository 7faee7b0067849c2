import { Text } from "./Text.js"
import type { Notice } from "../Runtime.js"
import { useTheme } from "../Theme.js"
import { Spinner } from "./Spinner.js"

/** The one line under a screen: a running action, or the last action's outcome. */
export const NoticeLine = ({
  pending,
  notice
}: {
  readonly pending: string | undefined
  readonly notice: Notice | undefined
}) => {
  const theme = useTheme()
  if (pending !== undefined) return <Spinner label={pending} />
  if (notice === undefined) return <Text> </Text>
  return (
    <Text color={notice.kind === "error" ? theme.error : theme.ok} wrap="truncate-end">
      {notice.kind === "error" ? "✗ " : "✓ "}
      {notice.text}
    </Text>
  )
}
