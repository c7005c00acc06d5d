// Names and messages as a terminal may safely show them. A file name is data: one holding escape
// codes ("\x1b[2J", a window title, a hyperlink) or bidirectional overrides would otherwise be obeyed
// by the terminal instead of shown. Control characters become visible escapes; everything else stays.

/** C0 controls, DEL, C1 controls (0x9b is CSI on 8-bit terminals), and the bidi embeddings, overrides and isolates. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' }

function escapeOne(char: string): string {
  const code = char.charCodeAt(0)
  return NAMED[char] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`)
}

export function printable(text: string): string {
  return text.replace(UNSAFE, escapeOne)
}

/** What JSON.stringify leaves raw inside strings: DEL, C1 controls and bidi characters (it escapes C0 itself). */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g

/** JSON text with those characters escaped too; it parses back to the same strings. */
export function printableJson(json: string): string {
  // JSON has none of these characters outside strings, so every match is inside one
  return json.replace(UNSAFE_IN_JSON, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
}
