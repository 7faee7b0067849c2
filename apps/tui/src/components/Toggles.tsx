import { useState } from "react"
import { keyName, useKeys } from "../Keybindings.js"
import { useTheme } from "../Theme.js"
import { Text } from "./Text.js"

/** The picked choices of a toggles field's value (`read,write`), in the choices' order. */
export const pickedOf = (value: string, choices: ReadonlyArray<string>): ReadonlyArray<string> => {
  const words = value.split(/[\s,]+/).filter((w) => w !== "")
  return choices.filter((c) => words.includes(c))
}

/**
 * A row of checkboxes whose value is the picked choices joined by commas: ←/→ move, Space (or a
 * choice's first letter) toggles, Enter submits.
 */
export const Toggles = ({
  value,
  choices,
  onChange,
  onSubmit,
  focus
}: {
  readonly value: string
  readonly choices: ReadonlyArray<string>
  readonly onChange: (value: string) => void
  readonly onSubmit: () => void
  readonly focus: boolean
}) => {
  const theme = useTheme()
  const [cursor, setCursor] = useState(0)
  const picked = pickedOf(value, choices)
  const toggle = (choice: string) =>
    onChange(choices.filter((c) => (c === choice ? !picked.includes(c) : picked.includes(c))).join(","))
  useKeys(
    (input, key) => {
      const name = keyName(input, key)
      if (name === "enter") onSubmit()
      else if (name === "left") setCursor((c) => Math.max(0, c - 1))
      else if (name === "right") setCursor((c) => Math.min(choices.length - 1, c + 1))
      else if (name === " ") toggle(choices[cursor] ?? "")
      else {
        const at = choices.findIndex((c) => c.startsWith(name) && name.length === 1)
        if (at >= 0) {
          setCursor(at)
          toggle(choices[at] ?? "")
        }
      }
    },
    { isActive: focus }
  )
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
