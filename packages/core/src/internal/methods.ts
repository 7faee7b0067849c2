const safeMethods: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS"])

/** Whether a request changes something on the server (so a failure after sending leaves its outcome open). */
export const isWrite = (method: string): boolean => !safeMethods.has(method)
