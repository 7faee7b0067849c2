import { useKeys } from "../Keybindings.js"
import { useTheme } from "../Theme.js"
import { Text } from "./Text.js"

/** Whether a keypress is text to insert (not a control or navigation key). */
const isText = (input: string, key: Parameters<Parameters<typeof useKeys>[0]>[1]) =>
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

/** A one-line text input: typing appends, Backspace deletes, Enter submits (pastes arrive whole). */
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
  const theme = useTheme()
  useKeys(
    (input, key) => {
      if (key.return) onSubmit?.(value)
      else if (key.backspace || key.delete) onChange(value.slice(0, -1))
      else if (isText(input, key)) onChange(value + input.replace(/[\r\n]+/g, " "))
    },
    { isActive: focus }
  )
  const shown = mask ? "*".repeat(value.length) : value
  return (
    <Text>
      {shown === "" && placeholder !== "" ? <Text color={theme.muted}>{placeholder}</Text> : shown}
      {focus ? <Text inverse> </Text> : null}
    </Text>
  )
}
