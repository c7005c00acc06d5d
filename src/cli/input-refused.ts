// An input the command line will not read (not a regular file, too large, too many pixels): one
// sentence naming the file and the limit. Its `code` makes --json report it as a file problem ('io').

export class InputRefused extends Error {
  readonly code = 'EINPUTREFUSED'

  constructor(message: string) {
    super(message)
    this.name = 'InputRefused'
  }
}
