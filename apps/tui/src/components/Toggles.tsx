import { useTheme } from "../Theme.js"
import { Text } from "./Text.js"

/** The picked choices of a toggles field's value (`read,write`), in the choices' order. */
export const pickedOf = (value: string, choices: ReadonlyArray<string>): ReadonlyArray<string> => {
  const words = value.split(/[\s,]+/).filter((w) => w !== "")
  return choices.filter((c) => words.includes(c))
}

/** The value with `choice` flipped. */
export const toggle = (value: string, choices: ReadonlyArray<string>, choice: string): string => {
  const picked = pickedOf(value, choices)
  return choices.filter((c) => (c === choice ? !picked.includes(c) : picked.includes(c))).join(",")
}

/** A row of checkboxes (the keys are the form's: ←/→ move, Space or a first letter toggles). */
export const Toggles = ({
  value,
  choices,
  cursor,
  focus
}: {
  readonly value: string
  readonly choices: ReadonlyArray<string>
  readonly cursor: number
  readonly focus: boolean
}) => {
  const theme = useTheme()
  const picked = pickedOf(value, choices)
  return (
    <Text>
      {choices.map((choice, i) => (
        <Text key={choice}>
          <Text color={picked.includes(choice) ? theme.ok : theme.muted} inverse={focus && i === cursor}>
            [{picked.includes(choice) ? "x" : " "}] {choice}
          </Text>{" "}
        </Text>
      ))}
    </Text>
  )
}
