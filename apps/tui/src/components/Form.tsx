import { edit, TextLine, useLatest } from "./TextField.js"
import { toggle, Toggles } from "./Toggles.js"
import { Box, Text } from "./Text.js"
import { useRef, useState, type ReactNode } from "react"
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

export type FormValues = Readonly<Record<string, string>>

/**
 * A small form: Tab/↓ and Shift-Tab/↑ move between fields, Enter on the last field (or Ctrl-S)
 * submits, Esc cancels. `error` is shown under the fields (client-side validation).
 *
 * The form alone reads the keyboard, and keeps the values, the focused field and the checkbox cursor
 * ahead of React's renders, so keys typed faster than the screen redraws (a fast typist, a paste
 * split in chunks, an IME) all land in the right field, in order. `onChange` and `onSubmit` get every
 * value, never a stale copy.
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
  readonly values: FormValues
  readonly onChange: (values: FormValues) => void
  readonly onSubmit: (values: FormValues) => void
  readonly onCancel: () => void
  readonly error?: string | undefined
  readonly footer?: ReactNode
}) => {
  const theme = useTheme()
  const latest = useLatest(values)
  const [focus, setFocusState] = useState(0)
  const focusRef = useRef(0)
  const [choiceCursor, setChoiceCursorState] = useState(0)
  const choiceRef = useRef(0)
  const setFocus = (index: number) => {
    focusRef.current = Math.max(0, Math.min(fields.length - 1, index))
    choiceRef.current = 0
    setFocusState(focusRef.current)
    setChoiceCursorState(0)
  }
  const setChoice = (index: number) => {
    choiceRef.current = index
    setChoiceCursorState(index)
  }
  const change = (name: string, value: string) => {
    latest.current = { ...latest.current, [name]: value }
    onChange(latest.current)
  }
  useKeys((input, key) => {
    const name = keyName(input, key)
    const field = fields[focusRef.current]
    if (name === "esc") return onCancel()
    if (name === "tab" || name === "down") return setFocus(focusRef.current + 1)
    if (name === "shift-tab" || name === "up") return setFocus(focusRef.current - 1)
    if (name === "ctrl-s") return onSubmit(latest.current)
    if (name === "enter") {
      return focusRef.current === fields.length - 1
        ? onSubmit(latest.current)
        : setFocus(focusRef.current + 1)
    }
    if (field === undefined) return
    const value = latest.current[field.name] ?? ""
    if (field.choices === undefined) {
      const next = edit(value, input, key)
      if (next !== undefined) change(field.name, next)
      return
    }
    const choices = field.choices
    if (name === "left") return setChoice(Math.max(0, choiceRef.current - 1))
    if (name === "right") return setChoice(Math.min(choices.length - 1, choiceRef.current + 1))
    if (name === " ") return change(field.name, toggle(value, choices, choices[choiceRef.current] ?? ""))
    const at = name.length === 1 ? choices.findIndex((c) => c.startsWith(name)) : -1
    if (at >= 0) {
      setChoice(at)
      change(field.name, toggle(value, choices, choices[at] ?? ""))
    }
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
            <TextLine
              value={values[field.name] ?? ""}
              focus={i === focus}
              placeholder={field.placeholder ?? ""}
              mask={field.mask === true}
            />
          ) : (
            <Toggles
              value={values[field.name] ?? ""}
              choices={field.choices}
              cursor={choiceCursor}
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
