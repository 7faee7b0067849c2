/**
 * The shell commands of every ```sh block of a markdown text, in order: one per line, with `# ...` comments and
 * blank lines dropped and lines ending in a backslash joined to the next.
 */
export const shellCommands = (markdown: string): ReadonlyArray<string> => {
  const commands: Array<string> = []
  for (const block of markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)) {
    const body = (block[1] ?? "").replace(/\\\n\s*/g, "")
    for (const line of body.split("\n")) {
      const command = line.replace(/(^|\s)#\s.*$/, "").trim()
      if (command !== "") commands.push(command)
    }
  }
  return commands
}
