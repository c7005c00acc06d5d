// Waits in DOM tests are for events (a row changes, a request arrives), not for time: on a loaded
// two-core machine they may take seconds, so testing-library's one-second default is far too short.
import { configure } from '@testing-library/dom'

configure({ asyncUtilTimeout: 60_000 })
