import { TextField } from "./TextField.js"
import { Box, Text } from "./Text.js"
import { useState } from "react"
import { keyName, useKeys } from "../Keybindings.js"
import { useTheme } from "../Theme.js"

/**
 * Asks before a destructive or costly action: `y`/`n`, or, with `typed`, the exact text to type.
 * `loud` adds a warning line in red.
 */
export const Confirm = ({
  message,
  typed,
  loud,
  onConfirm,
  onCancel
}: {
  readonly message: string
  readonly typed?: string | undefined
  readonly loud?: string | undefined
  readonly onConfirm: () => void
  readonly onCancel: () => void
}) => {
  const theme = useTheme()
  const [text, setText] = useState("")
  useKeys((input, key) => {
    const name = keyName(input, key)
    if (name === "esc") onCancel()
    else if (typed === undefined && (name === "y" || name === "Y")) onConfirm()
    else if (typed === undefined && (name === "n" || name === "N")) onCancel()
  })
  return (
    <Box flexDirection="column" borderStyle="double" borderColor={theme.warn} paddingX={1}>
      {loud === undefined ? null : (
        <Text color={theme.error} bold>
          ⚠ {loud}
        </Text>
      )}
      <Text>{message}</Text>
      {typed === undefined ? (
        <Text color={theme.muted}>y confirm · n or Esc cancel</Text>
      ) : (
        <>
          <Text color={theme.muted}>
            Type {JSON.stringify(typed)} and press Enter to confirm, Esc to cancel
          </Text>
          <Box>
            <Text>› </Text>
            <TextField
              value={text}
              onChange={setText}
              onSubmit={(value) => (value === typed ? onConfirm() : setText(""))}
            />
          </Box>
        </>
      )}
    </Box>
  )
}
