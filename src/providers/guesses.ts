// Every fact about the hosts that reframe-apis.md marks [?] (or only third-party code shows), in one
// place: when a host proves a guess wrong, this is the only file to change.

// each::labs `output` for this slug is undocumented: eachlabsOutputUrl (eachlabs-output-url.ts) accepts, in order, a
// URL string, an array whose first item is a URL or `{ url }`, an object with `url`, `image` or `images[0].url`.

/** each::labs statuses; older docs and webhooks say `failed` where the API says `error`. */
export const EACHLABS_FAILED_STATUSES = ['error', 'failed'] as const
export const EACHLABS_CANCELLED_STATUSES = ['cancelled', 'canceled'] as const

/** each::labs: reframe-apis.md names `urls.cancel` of a prediction but not its method; POST, like Replicate's. */
export const EACHLABS_CANCEL_METHOD = 'POST'

/** Third-party docs report each::labs answering 422 when the balance is too low; such a 422 is a balance error. */
export const BALANCE_MESSAGE = /balance|insufficient (?:funds|credit)|top ?up|payment required/i

/** fal: a finished request can report `error` in its status body (seen in fal-js, not in the docs). */
export const FAL_STATUS_MAY_CARRY_ERROR = true

/**
 * fal storage vs data URI: a data URI would be re-sent with every ratio of a source, so we always use
 * the storage upload (initiate + PUT), which is documented and sends the bytes once.
 */
export const FAL_UPLOAD_STORAGE_TYPE = 'fal-cdn-v3'

/** Replicate: recommended data-URI limit; above it the Files API is used. */
export const REPLICATE_DATA_URI_MAX_BYTES = 1_000_000

// Retry-After fallbacks live with the one retry policy: http/retry-policy.ts.

// The key headers, the key check and every host (with evidence marks) live in each provider's record in
// protocol/provider-list.ts: the manifest, the relay and the clients are derived from that one list.
