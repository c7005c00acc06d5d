// The plugin window: sources, sizes, prompt, placement, engine and key, cost, then Reframe. While a run
// goes (and after, until Done) the window leads with its progress instead. Started by a result's
// "Reframe again", it makes those results again with the settings they were made with, at once when
// nothing is missing. Each concern keeps its state in its own hook (hooks/); the pipeline does the work.
import { Banner, Button, IconWarning32 } from '@create-figma-plugin/ui'
import { useEffect, useMemo, useRef, useState } from 'preact/hooks'
import { inSizeOrder, sizePixels } from '../src/core/sizes'
import type { ImageBackend } from '../src/imaging/render-recipe'
import type { Channel } from '../src/protocol/channel'
import type { Relaunch } from '../src/protocol/messages'
import type { Settings } from '../src/protocol/settings'
import { AdvancedSettings } from './components/advanced-settings'
import { SettingChoice } from './components/setting-choice'
import { PromptField } from './components/prompt-field'
import { ProviderSettings } from './components/provider-settings'
import { RunView } from './components/run-view'
import { SizesPicker } from './components/sizes-picker'
import { SourcesList } from './components/sources-list'
import { useBatch } from './hooks/use-batch'
import { relaunchCostLine, relaunchNotice, useRelaunch } from './hooks/use-relaunch'
import { useSecrets } from './hooks/use-secrets'
import { useSelection } from './hooks/use-selection'
import { useSettings } from './hooks/use-settings'
import { useShortcuts } from './hooks/use-shortcuts'
import type { KeyChecker } from './key-check-message'
import { missingForRun, PROVIDER_LABELS, type ProviderFactory } from './provider-choice'
import { costLine } from './sizes/plan-preview'
import { useWindowFit } from './use-window-fit'

export type AppProps = {
  channel: Channel
  createProvider: ProviderFactory
  /** Decodes/encodes results that need cropping, converting or scaling (canvas in the plugin). */
  backend: ImageBackend
  /** The host's free key check, asked before a key is saved (ui/provider-for-settings.ts keyChecker). */
  checkKey?: KeyChecker
  now?: () => number
}

export function App({ channel, createProvider, backend, checkKey, now = Date.now }: AppProps) {
  const [notice, setNotice] = useState<string | undefined>(undefined)
  const [showRun, setShowRun] = useState(false)
  const selection = useSelection(channel)
  const relaunch = useRelaunch(channel)
  const { settings, loaded, storedSecrets, problem, update } = useSettings(channel)
  const secrets = useSecrets(channel, storedSecrets, checkKey, setNotice)
  const batch = useBatch({ channel, backend, createProvider, now, onNotice: setNotice, onSecretGone: secrets.forget })
  const root = useRef<HTMLDivElement>(null)
  useWindowFit(root, channel)

  const { running } = batch
  const again = relaunch.request
  /** What a pending Reframe again runs with: its results' settings over the window's. */
  const againSettings = (request: Relaunch): Settings => ({ ...settings, ...request.settings })
  const againMissing = (request: Relaunch, stored = secrets.stored) =>
    missingForRun({ sourceCount: request.sources.length, sizes: request.jobs.map((job) => job.size), settings: againSettings(request), secrets: stored })
  // a damaged file is listed with its warning and never run: no retry can mend it
  const runnable = useMemo(() => selection.sources.filter((source) => source.damage === undefined), [selection.sources])
  const onlyDamaged = runnable.length === 0 && selection.sources.length > 0
  const missing =
    again !== undefined
      ? againMissing(again)
      : onlyDamaged
        ? (selection.sources.length === 1 ? 'This image is damaged' : 'These images are damaged')
        : missingForRun({ sourceCount: runnable.length, sizes: settings.sizes, settings, secrets: secrets.stored })
  const cost = useMemo(
    () => (again === undefined ? costLine(runnable, settings.sizes, settings) : relaunchCostLine(again, { ...settings, ...again.settings })),
    [settings, runnable, again]
  )
  const hasPresets = settings.sizes.some((size) => sizePixels(size) !== undefined)

  function runAgain(request: Relaunch) {
    relaunch.done()
    setShowRun(true)
    batch.runJobs(request.sources, request.jobs, againSettings(request))
    // after the run has started (which clears notices): what was left out
    setNotice(relaunchNotice(request))
  }

  function reframe() {
    if (running || missing !== undefined || !loaded) return
    if (again !== undefined) return runAgain(again)
    setShowRun(true)
    // the picker's order of the ticked sizes is the canvas order, whatever order they were saved in
    batch.run(runnable, inSizeOrder(settings.sizes), settings)
  }

  // started by Reframe again: run at once when nothing is missing; otherwise show the settings the
  // results were made with (so the missing key can be added there) and say what is missing
  const looked = useRef<Relaunch | undefined>(undefined)
  useEffect(() => {
    if (again === undefined || !loaded || running || looked.current === again) return
    looked.current = again
    // the secrets main reported on load, until the key field's own state has caught up with them
    const lacking = againMissing(again, { ...storedSecrets, ...secrets.stored })
    if (lacking === undefined) return runAgain(again)
    // saved at once (a prompt waits for a pause in typing; this one is not being typed)
    const { prompt, ...rest } = again.settings
    update(rest)
    if (prompt !== undefined) update({ prompt })
    setNotice(relaunchNotice(again, { provider: PROVIDER_LABELS[againSettings(again).provider], what: lacking }))
  }, [again, loaded, running])
  const runShown = showRun && batch.rows.length > 0
  useShortcuts({ view: runShown ? 'run' : 'form', running, run: reframe, cancel: batch.cancel, done: () => setShowRun(false) })

  return (
    <div class="app" ref={root}>
      {[problem, notice].map(
        (text) =>
          text !== undefined && (
            <div class="notice" key={text}>
              <Banner icon={<IconWarning32 />} variant="warning">
                {text}
              </Banner>
            </div>
          )
      )}
      {runShown ? (
        <RunView
          rows={batch.rows}
          engine={batch.engine}
          running={running}
          cancelled={batch.summary?.cancelled === true}
          now={batch.clock}
          onCancel={batch.cancel}
          onRetry={() => batch.retryFailed(settings)}
          onDone={() => setShowRun(false)}
        />
      ) : (
        <>
          <SourcesList selection={selection} />
          <SizesPicker sizes={settings.sizes} settings={settings} source={runnable[0] ?? selection.sources[0]} disabled={running} onChange={(sizes) => update({ sizes })} />
          {hasPresets && (
            <section class="section" aria-label="Frame size">
              <SettingChoice name="frameMode" settings={settings} disabled={running} onSettings={update} />
            </section>
          )}
          <section class="section" aria-label="Prompt and placement">
            {settings.provider !== 'local' && <PromptField value={settings.prompt} disabled={running} onChange={(prompt) => update({ prompt })} />}
            <SettingChoice name="placement" settings={settings} disabled={running} onSettings={update} />
          </section>
          <ProviderSettings
            settings={settings}
            secrets={secrets.stored}
            disabled={running}
            onSettings={update}
            onSaveSecret={secrets.save}
            onRemoveSecret={secrets.remove}
          />
          <section class="section" aria-label="Advanced settings">
            <AdvancedSettings settings={settings} disabled={running} onSettings={update} />
          </section>
          <footer class="footer">
            {runnable.length > 0 && settings.sizes.length > 0 && (
              <p class="cost" id="cost-line" role="status">
                {cost}
              </p>
            )}
            <div class="row">
              <div class="grow">
                <Button fullWidth onClick={reframe} disabled={missing !== undefined || !loaded} aria-describedby="cost-line">
                  {missing ?? (again === undefined ? 'Reframe' : 'Reframe again')}
                </Button>
              </div>
            </div>
          </footer>
        </>
      )}
    </div>
  )
}
