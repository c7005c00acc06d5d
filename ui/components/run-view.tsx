// The window while a run goes and after it ends: progress first (one row per source × size in the order
// of the frames on the canvas), a reason every failure shares said once at the top, then the summary
// with Retry failed, and Done to go back to the settings (focused when the run ends).
import { Banner, Button, IconWarning32 } from '@create-figma-plugin/ui'
import { useEffect, useRef } from 'preact/hooks'
import type { JobRow } from '../hooks/use-batch'
import { runHeading, type Engine } from './job-words'
import { ProgressList } from './progress-list'

type Props = {
  rows: JobRow[]
  /** The engine of the run, whose words the rows say. */
  engine: Engine
  running: boolean
  cancelled: boolean
  now: number
  onCancel(): void
  onRetry(): void
  onDone(): void
}

/** The reason every failed row shares, when more than one failed for it. */
export function sharedReason(rows: readonly JobRow[]): string | undefined {
  const reasons = new Set(rows.filter((row) => row.status.state === 'failed').map((row) => row.status.error ?? ''))
  const failed = rows.filter((row) => row.status.state === 'failed').length
  return failed >= 2 && reasons.size === 1 ? [...reasons][0] : undefined
}

export function RunView({ rows, engine, running, cancelled, now, onCancel, onRetry, onDone }: Props) {
  const finished = rows.filter((row) => row.status.state === 'done').length
  const failed = rows.filter((row) => row.status.state === 'failed')
  const retryable = failed.filter((row) => row.status.retryable !== false)
  const shared = sharedReason(rows)
  const total = rows.length
  // when the run ends, its primary action takes the focus: Enter then means Done, never "run again"
  const done = useRef<HTMLButtonElement>(null)
  useEffect(() => {
    if (!running) done.current?.focus()
  }, [running])
  return (
    <section class="section run" aria-labelledby="run-heading">
      <h2 id="run-heading" class="heading">
        {running ? runHeading(rows.map((row) => row.job)) : cancelled ? 'Cancelled' : 'Done'}
      </h2>
      <div class="run-meter" role="progressbar" aria-label="Finished" aria-valuemin={0} aria-valuemax={total} aria-valuenow={finished + failed.length}>
        <div class="run-meter-fill" style={{ width: `${total === 0 ? 0 : ((finished + failed.length) / total) * 100}%` }} />
      </div>
      {shared !== undefined && (
        <div class="notice">
          <Banner icon={<IconWarning32 />} variant="warning">
            {`Every failed size: ${shared}`}
          </Banner>
        </div>
      )}
      <ProgressList rows={rows} engine={engine} now={now} sharedReason={shared} />
      <footer class="footer">
        {!running && (
          <p class="summary" role="status">
            {cancelled ? 'Cancelled. ' : ''}
            {finished} placed{failed.length > 0 ? `, ${failed.length} failed` : ''}.
          </p>
        )}
        <div class="row">
          {running ? (
            <div class="grow">
              <Button fullWidth secondary onClick={onCancel}>
                Cancel (Esc)
              </Button>
            </div>
          ) : (
            <>
              {retryable.length > 0 && (
                <Button secondary onClick={onRetry}>
                  Retry failed ({retryable.length})
                </Button>
              )}
              <div class="grow">
                <Button fullWidth ref={done} onClick={onDone}>
                  Done
                </Button>
              </div>
            </>
          )}
        </div>
      </footer>
    </section>
  )
}
