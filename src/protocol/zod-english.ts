// zod/mini has no messages of its own: without a locale every issue reads "Invalid input". The
// messages people see (a refused plugin message, a host's unexpected answer, a CLI flag, the relay's
// settings) are zod's English, which classic zod set up by itself. Importing this module sets it up
// for the whole program, once; the modules that turn issues into sentences import it.
import { config } from 'zod/mini'
import en from 'zod/v4/locales/en.js'

config(en())
