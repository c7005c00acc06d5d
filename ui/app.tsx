// The plugin window: sources, sizes, prompt, placement, engine and key, cost, then Reframe with live
// progress, Cancel and Retry failed. State lives here; the work happens in runner/run-batch.ts.
import { Banner, Button, IconWarning32 } from '@create-figma-plugin/ui'
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks'
import { DEFAULT_SETTINGS, type HostedProviderId, type SecretName, type Settings } from '../src/protocol/settings'
import type { ImageCodec } from '../src/imaging/codec'
import type { KeyCheck } from '../src/providers/provider'
import type { Channel } from '../src/protocol/channel'
import type { Selection } from '../src/protocol/messages'
import { AdvancedSettings } from './components/advanced-settings'
import { ChoiceGroup } from './components/choice-group'
import { ProgressList } from './components/progress-list'
import { PromptField } from './components/prompt-field'
import { ProviderSettings } from './components/provider-settings'
import { SizesPicker } from './components/sizes-picker'
import { SourcesList } from './components/sources-list'
import { costLine } from './cost-line'
import { keyCheckMessage, type KeyChecker } from './key-check-message'
import { missingForRun, secretNeeded, type ProviderFactory } from './provider-choice'
import type { JobRow } from './runner/job-row'
import {
  describeFailure,
  failedJobs,
  jobsFor,
  newBatchId,
  startBatch,
  type BatchHandle,
  type BatchJob,
  type BatchSummary
} from './runner/run-batch'
import { UploadCache } from './runner/upload-cache'
import { useWindowFit } from './use-window-fit'

export type AppProps = {
  channel: Channel
  createProvider: ProviderFactory
  /** Decodes/encodes results that need cropping, converting or scaling (canvas in the plugin). */
  codec: ImageCodec
  /** The host's free key check, asked before a key is saved (ui/provider-for-settings.ts keyChecker). */
  checkKey?: KeyChecker
  now?: () => number
}

/** The offline engine runs on this computer's CPU: more than two at once only makes the UI stutter. */
const LOCAL_CONCURRENCY = 2
const PROMPT_SAVE_DELAY_MS = 500

function isTypingTarget(target: EventTarget | null): target is HTMLElement {
  return target instanceof HTMLElement && (target.tagName === 'TEXTAREA' || target.isContentEditable)
}

/** Elements where Enter already means something (activate, open, submit a field). */
function handlesEnter(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  return ['BUTTON', 'SELECT', 'SUMMARY', 'A'].includes(target.tagName)
}

export function App({ channel, createProvider, codec, checkKey, now = Date.now }: AppProps) {
  const [settings, setSettings] = useState<Settings>(DEFAULT_SETTINGS)
  const [loaded, setLoaded] = useState(false)
  const [secrets, setSecrets] = useState<Partial<Record<SecretName, boolean>>>({})
  const [selection, setSelection] = useState<Selection>({ sources: [], skipped: [] })
  const [rows, setRows] = useState<Map<string, JobRow>>(new Map())
  const [batch, setBatch] = useState<BatchHandle | undefined>(undefined)
  const [summary, setSummary] = useState<BatchSummary | undefined>(undefined)
  const [notice, setNotice] = useState<string | undefined>(undefined)
  const [keyNote, setKeyNote] = useState<{ provider: HostedProviderId; text: string } | undefined>(undefined)
  const [clock, setClock] = useState(now())
  const uploads = useRef(new UploadCache()).current
  const promptTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)
  const root = useRef<HTMLDivElement>(null)
  useWindowFit(root, channel)

  useEffect(() => {
    const off = channel.on('selection', setSelection)
    channel.emit('ready', {})
    channel
      .request('load-settings', {})
      .then((loadedSettings) => {
        setSettings(loadedSettings.settings)
        setSecrets(loadedSettings.secrets)
      })
      .catch((error: unknown) => setNotice(`Settings could not be loaded; using defaults. ${describeFailure(error)}`))
      .finally(() => setLoaded(true))
    return off
  }, [channel])

  // elapsed times tick while a batch runs
  useEffect(() => {
    if (batch === undefined) return undefined
    const timer = setInterval(() => setClock(now()), 1000)
    return () => clearInterval(timer)
  }, [batch, now])

  const save = useCallback(
    (patch: Partial<Settings>) => {
      channel.request('save-settings', { settings: patch }).catch((error: unknown) => {
        setNotice(`Settings were not saved: ${describeFailure(error)}`)
      })
    },
    [channel]
  )

  const updateSettings = useCallback(
    (patch: Partial<Settings>) => {
      setSettings((previous) => ({ ...previous, ...patch }))
      if ('prompt' in patch) {
        // typing saves once the designer pauses, not on every key
        clearTimeout(promptTimer.current)
        promptTimer.current = setTimeout(() => save(patch), PROMPT_SAVE_DELAY_MS)
      } else save(patch)
    },
    [save]
  )

  // A key the host refused (401/403) is not saved: the field stays open with the reason. A key the
  // host could not judge (no check, offline, blocked) is saved; a wrong one then shows on the first run.
  async function saveSecret(name: SecretName, value: string): Promise<string | undefined> {
    setKeyNote(undefined)
    let checked: KeyCheck | undefined
    if (name !== 'relayToken' && checkKey !== undefined) {
      checked = await checkKey(name, value).catch((): KeyCheck => ({ verdict: 'unknown', reason: 'unexpected' }))
      if (checked.verdict === 'invalid') return keyCheckMessage(name, checked)
    }
    try {
      await channel.request('set-secret', { name, value })
      setSecrets((previous) => ({ ...previous, [name]: true }))
      if (name !== 'relayToken' && checked !== undefined) setKeyNote({ provider: name, text: keyCheckMessage(name, checked) })
      return undefined
    } catch (error) {
      return `The key was not saved: ${describeFailure(error, [value])}`
    }
  }

  async function removeSecret(name: SecretName) {
    try {
      await channel.request('set-secret', { name, value: null })
      setSecrets((previous) => ({ ...previous, [name]: false }))
      setKeyNote(undefined)
    } catch (error) {
      setNotice(`The key was not removed: ${describeFailure(error)}`)
    }
  }

  const running = batch !== undefined
  const missing = missingForRun({ sourceCount: selection.sources.length, ratios: settings.ratios, settings, secrets })
  const cost = useMemo(
    () => costLine(settings.provider, selection.sources.map((s) => s.width / s.height), settings.ratios),
    [settings.provider, settings.ratios, selection.sources]
  )

  async function runJobs(jobs: BatchJob[]) {
    setNotice(undefined)
    const name = secretNeeded(settings)
    let secret: string | undefined
    try {
      if (name !== undefined) {
        secret = (await channel.request('get-secret', { name })).value ?? undefined
        if (secret === undefined) {
          setSecrets((previous) => ({ ...previous, [name]: false }))
          setNotice('The saved key is gone; add it again.')
          return
        }
      }
      const provider = createProvider(settings, name === 'relayToken' ? { relayToken: secret } : { apiKey: secret })
      const handle = startBatch(
        { batchId: newBatchId(), jobs, prompt: settings.prompt, placement: settings.placement, exportMaxEdge: settings.exportMaxEdge },
        {
          provider,
          main: channel,
          codec,
          concurrency: settings.provider === 'local' ? LOCAL_CONCURRENCY : settings.concurrency,
          uploads,
          redact: secret === undefined ? [] : [secret],
          now,
          onRow: (row) => setRows((previous) => new Map(previous).set(row.key, row))
        }
      )
      setSummary(undefined)
      setClock(now())
      setBatch(handle)
      setRows((previous) => {
        const next = new Map(previous)
        for (const row of handle.rows()) next.set(row.key, row)
        return next
      })
      const finished = await handle.done
      setSummary(finished)
      if (finished.finishError !== undefined) setNotice(finished.finishError)
    } catch (error) {
      setNotice(describeFailure(error, secret === undefined ? [] : [secret]))
    } finally {
      setBatch(undefined)
    }
  }

  function reframe() {
    if (running || missing !== undefined || !loaded) return
    setRows(new Map())
    void runJobs(jobsFor(selection.sources, settings.ratios))
  }

  const failedRows = [...rows.values()].filter((row) => row.state === 'failed')
  function retryFailed() {
    if (running || failedRows.length === 0) return
    void runJobs(failedJobs(failedRows))
  }

  function cancel() {
    batch?.cancel()
  }

  // Keyboard: Enter runs, Escape cancels. Read through a ref so the listener always sees current state.
  const keys = useRef({ reframe, cancel, running })
  keys.current = { reframe, cancel, running }
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.key === 'Escape' && keys.current.running) {
        event.preventDefault()
        keys.current.cancel()
        return
      }
      if (event.key !== 'Enter' || event.shiftKey || event.altKey || event.defaultPrevented) return
      if (handlesEnter(event.target)) return
      if (isTypingTarget(event.target) && !(event.ctrlKey || event.metaKey)) return
      event.preventDefault()
      keys.current.reframe()
    }
    document.addEventListener('keydown', onKeyDown)
    return () => document.removeEventListener('keydown', onKeyDown)
  }, [])

  const firstSource = selection.sources[0]
  const orderedRows = [...rows.values()]
  const placedCount = orderedRows.filter((row) => row.state === 'placed').length

  return (
    <div class="app" ref={root}>
      {notice !== undefined && (
        <div class="notice">
          <Banner icon={<IconWarning32 />} variant="warning">
            {notice}
          </Banner>
        </div>
      )}
      <SourcesList selection={selection} />
      <SizesPicker
        ratios={settings.ratios}
        settings={settings}
        source={firstSource}
        disabled={running}
        onChange={(ratios) => updateSettings({ ratios })}
      />
      <section class="section" aria-label="Prompt and placement">
        {settings.provider !== 'local' && (
          <PromptField value={settings.prompt} disabled={running} onChange={(prompt) => updateSettings({ prompt })} />
        )}
        <ChoiceGroup
          id="placement"
          label="Where the original sits"
          hint="Along the side that grows: start is left or top, end is right or bottom."
          value={settings.placement}
          options={[
            { value: 'center', label: 'Centre' },
            { value: 'start', label: 'Start' },
            { value: 'end', label: 'End' }
          ]}
          disabled={running}
          onChange={(placement) => updateSettings({ placement })}
        />
      </section>
      <ProviderSettings
        settings={settings}
        secrets={secrets}
        disabled={running}
        onSettings={updateSettings}
        keyNote={keyNote?.provider === settings.provider ? keyNote.text : undefined}
        onSaveSecret={saveSecret}
        onRemoveSecret={removeSecret}
      />
      <section class="section" aria-label="Advanced settings">
        <AdvancedSettings settings={settings} disabled={running} onSettings={updateSettings} />
      </section>
      <ProgressList rows={orderedRows} now={clock} />
      <footer class="footer">
        <p class="cost" id="cost-line" role="status">
          {selection.sources.length > 0 && settings.ratios.length > 0 ? cost : missing}
        </p>
        {summary !== undefined && !running && (
          <p class="summary" role="status">
            {summary.cancelled ? 'Cancelled. ' : ''}
            {placedCount} placed{failedRows.length > 0 ? `, ${failedRows.length} failed` : ''}.
          </p>
        )}
        <div class="row">
          {running ? (
            <Button fullWidth secondary onClick={cancel}>
              Cancel (Esc)
            </Button>
          ) : (
            <>
              {failedRows.length > 0 && (
                <Button secondary onClick={retryFailed}>
                  Retry failed ({failedRows.length})
                </Button>
              )}
              <div class="grow">
                <Button fullWidth onClick={reframe} disabled={missing !== undefined || !loaded} aria-describedby="cost-line">
                  {missing ?? 'Reframe'}
                </Button>
              </div>
            </>
          )}
        </div>
      </footer>
    </div>
  )
}
