// The HTTP layer as the rest of the code base sees it (the UI's batch runner, the benches, the relay's
// end-to-end tests); the providers import the small modules directly.
export { HostHttp } from './host-http'
export { abortReason, raceAbort, sleep, throwIfAborted, withDeadline } from './deadline'
export { DEFAULT_TUNING, resolveTuning, type HttpTuning, type PollTuning, type RetryTuning, type TuningOverrides } from './http-tuning'
export { kindForStatus, type HostSpeaker } from './status-error'
export { parseRetryAfter } from './retry-policy'
