// Entry of the plugin's main thread (dist/code.js).
import { startPlugin } from './start-plugin'

startPlugin()
