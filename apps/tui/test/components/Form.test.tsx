import { render } from "ink-testing-library"
import { useState } from "react"
import { describe, expect, it } from "vitest"
import { Form, type FormValues } from "../../src/components/Form.js"
import { TextField } from "../../src/components/TextField.js"
import { makeTheme, ThemeContext } from "../../src/Theme.js"
import { keys } from "../support/TestApp.js"

const settle = () => new Promise((resolve) => setTimeout(resolve, 100))

/** A parent that keeps the form's values in its state, as the screens do. */
const Harness = ({ onSubmit }: { readonly onSubmit: (values: FormValues) => void }) => {
  const [values, setValues] = useState<FormValues>({ name: "", scopes: "read", notes: "" })
  return (
    <ThemeContext.Provider value={makeTheme(false)}>
      <Form
        title="Burst"
        fields={[
          { name: "name", label: "Name" },
          { name: "scopes", label: "Scopes", choices: ["read", "write", "admin"] },
          { name: "notes", label: "Notes" }
        ]}
        values={values}
        onChange={setValues}
        onSubmit={onSubmit}
        onCancel={() => undefined}
      />
    </ThemeContext.Provider>
  )
}

// Ink 6 with React 19 draws after the event loop turns, so keys written in one tick arrive before any
// redraw: each must still build on the previous one (a fast typist, a paste in chunks, an IME).
describe("keys faster than renders", () => {
  it("a form keeps every key, in order and in the right field, and submits all of them", async () => {
    const submitted: Array<FormValues> = []
    const app = render(<Harness onSubmit={(v) => submitted.push(v)} />)
    await settle()
    for (const key of ["a", "c", "m", "e", keys.backspace, "E", keys.tab, "w", keys.right, " ", keys.tab]) {
      app.stdin.write(key)
    }
    for (const key of ["n", "o", "t", "e", keys.enter]) app.stdin.write(key)
    await settle()
    expect(submitted).toEqual([{ name: "acmE", scopes: "read,write,admin", notes: "note" }])
    expect(app.lastFrame()).toContain("[x] read [x] write [x] admin")
    app.unmount()
  })

  it("a text field keeps every key and submits the whole value", async () => {
    const submitted: Array<string> = []
    const Field = () => {
      const [value, setValue] = useState("")
      return (
        <ThemeContext.Provider value={makeTheme(false)}>
          <TextField value={value} onChange={setValue} onSubmit={(v) => submitted.push(v)} />
        </ThemeContext.Provider>
      )
    }
    const app = render(<Field />)
    await settle()
    for (const key of "https://hooks.example.com/bullseye".split("")) app.stdin.write(key)
    app.stdin.write(keys.backspace)
    app.stdin.write(keys.enter)
    await settle()
    expect(submitted).toEqual(["https://hooks.example.com/bullsey"])
    expect(app.lastFrame()).toContain("https://hooks.example.com/bullsey")
    app.unmount()
  })
})
