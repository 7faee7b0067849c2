import type { Key } from "ink"
import { useRef } from "react"
import { useKeys } from "../Keybindings.js"
import { useTheme } from "../Theme.js"
import { Text } from "./Text.js"

/** Whether a keypress is text to insert (not a control or navigation key). */
const isText = (input: string, key: Key) =>
  input !== "" &&
  !key.ctrl &&
  !key.meta &&
  !key.return &&
  !key.escape &&
  !key.tab &&
  !key.upArrow &&
  !key.downArrow &&
  !key.leftArrow &&
  !key.rightArrow &&
  !key.backspace &&
  !key.delete

/** What an editing key does to a one-line value: undefined when the key does not edit. */
export const edit = (value: string, input: string, key: Key): string | undefined =>
  key.backspace || key.delete
    ? value.slice(0, -1)
    : isText(input, key)
      ? value + input.replace(/[\r\n]+/g, " ")
      : undefined

/**
 * The latest value of a controlled field, ahead of React: keys can arrive faster than renders
 * (Ink 6 with React 19 renders after the event loop turns), so each key must build on the value the
 * previous key produced, not on the value of the last render. A new value from the parent wins.
 */
export const useLatest = <A,>(value: A) => {
  const latest = useRef(value)
  const rendered = useRef(value)
  if (rendered.current !== value) {
    rendered.current = value
    latest.current = value
  }
  return latest
}

/** A one-line value with the cursor block when focused (no keyboard handling). */
export const TextLine = ({
  value,
  focus,
  placeholder = "",
  mask = false
}: {
  readonly value: string
  readonly focus: boolean
  readonly placeholder?: string
  readonly mask?: boolean
}) => {
  const theme = useTheme()
  const shown = mask ? "*".repeat(value.length) : value
  return (
    <Text>
      {shown === "" && placeholder !== "" ? <Text color={theme.muted}>{placeholder}</Text> : shown}
      {focus ? <Text inverse> </Text> : null}
    </Text>
  )
}

/** A one-line text input: typing appends, Backspace deletes, Enter submits. */
export const TextField = ({
  value,
  onChange,
  onSubmit,
  focus = true,
  placeholder = "",
  mask = false
}: {
  readonly value: string
  readonly onChange: (value: string) => void
  readonly onSubmit?: ((value: string) => void) | undefined
  readonly focus?: boolean
  readonly placeholder?: string
  readonly mask?: boolean
}) => {
  const latest = useLatest(value)
  useKeys(
    (input, key) => {
      if (key.return) return onSubmit?.(latest.current)
      const next = edit(latest.current, input, key)
      if (next === undefined) return
      latest.current = next
      onChange(next)
    },
    { isActive: focus }
  )
  return <TextLine value={value} focus={focus} placeholder={placeholder} mask={mask} />
}
