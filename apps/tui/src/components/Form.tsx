import { TextField } from "./TextField.js"
import { Toggles } from "./Toggles.js"
import { Box, Text } from "./Text.js"
import { useState, type ReactNode } from "react"
import { keyName, useKeys } from "../Keybindings.js"
import { useTheme } from "../Theme.js"

export interface FieldSpec {
  readonly name: string
  readonly label: string
  readonly placeholder?: string
  readonly mask?: boolean
  readonly hint?: string
  /** A set of checkboxes instead of text; the value is the picked choices joined by commas. */
  readonly choices?: ReadonlyArray<string>
}

/**
 * A small form: Tab/↓ and Shift-Tab/↑ move between fields, Enter on the last field (or Ctrl-S)
 * submits, Esc cancels. `error` is shown under the fields (client-side validation).
 */
export const Form = ({
  title,
  fields,
  values,
  onChange,
  onSubmit,
  onCancel,
  error,
  footer
}: {
  readonly title: string
  readonly fields: ReadonlyArray<FieldSpec>
  readonly values: Readonly<Record<string, string>>
  readonly onChange: (name: string, value: string) => void
  readonly onSubmit: () => void
  readonly onCancel: () => void
  readonly error?: string | undefined
  readonly footer?: ReactNode
}) => {
  const theme = useTheme()
  const [focus, setFocus] = useState(0)
  useKeys((input, key) => {
    const name = keyName(input, key)
    if (name === "esc") onCancel()
    else if (name === "tab" || name === "down") setFocus((f) => Math.min(fields.length - 1, f + 1))
    else if (name === "shift-tab" || name === "up") setFocus((f) => Math.max(0, f - 1))
    else if (name === "ctrl-s") onSubmit()
  })
  const width = Math.max(...fields.map((f) => f.label.length))
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={theme.accent} paddingX={1}>
      <Text bold>{title}</Text>
      {fields.map((field, i) => (
        <Box key={field.name}>
          <Text color={i === focus ? theme.accent : theme.muted}>
            {i === focus ? "› " : "  "}
            {field.label.padEnd(width)}{" "}
          </Text>
          {field.choices === undefined ? (
            <TextField
              value={values[field.name] ?? ""}
              onChange={(value) => onChange(field.name, value)}
              onSubmit={() => (i === fields.length - 1 ? onSubmit() : setFocus(i + 1))}
              focus={i === focus}
              placeholder={field.placeholder ?? ""}
              mask={field.mask === true}
            />
          ) : (
            <Toggles
              value={values[field.name] ?? ""}
              choices={field.choices}
              onChange={(value) => onChange(field.name, value)}
              onSubmit={() => (i === fields.length - 1 ? onSubmit() : setFocus(i + 1))}
              focus={i === focus}
            />
          )}
        </Box>
      ))}
      {fields[focus]?.hint === undefined ? null : <Text color={theme.muted}>{fields[focus]?.hint}</Text>}
      {footer}
      {error === undefined ? null : <Text color={theme.error}>{error}</Text>}
      <Text color={theme.muted}>Tab next field · Enter on the last field saves · Esc cancels</Text>
    </Box>
  )
}
