// The baseline of bench/tui: an Ink app with nothing in it but a key counter, started like the TUI
// (plain `node`, a pseudo-terminal, the alternate screen). Plain JavaScript so nothing compiles it first.
import { render, Text, useApp, useInput } from "ink"
import process from "node:process"
import { createElement, useState } from "react"

const App = () => {
  const [keys, setKeys] = useState(0)
  const { exit } = useApp()
  useInput((input) => {
    if (input === "q") exit()
    else setKeys((n) => n + 1)
  })
  return createElement(Text, null, `ready · key ${keys}.`)
}

process.stdout.write("\u001B[?1049h")
const instance = render(createElement(App), { exitOnCtrlC: true })
await instance.waitUntilExit()
process.stdout.write("\u001B[?1049l")
