// "Reframe again": when a result's button started the plugin, main says what to make again (the
// originals, one job per result, the settings the results were made with). The request waits here
// until the window runs it, and is dropped once the designer selects something else.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks'
import { estimateBatch, formatUsd } from '../../src/core/cost'
import type { Channel } from '../../src/protocol/channel'
import type { Relaunch, Selection } from '../../src/protocol/messages'
import { describeProvider } from '../../src/protocol/provider-list'
import { previewPlan, type PlanSettings } from '../sizes/plan-preview'

export type RelaunchState = {
  request: Relaunch | undefined
  /** The request has been run (or given up): the window is back to its own settings. */
  done(): void
}

const selectionKey = (selection: Selection) => selection.sources.map((source) => source.nodeId).sort().join(' ')

export function useRelaunch(channel: Channel): RelaunchState {
  const [pending, setPending] = useState<{ request: Relaunch; selected: string } | undefined>(undefined)
  // main sends the selection first, then the request: the request belongs to the selection before it
  const selected = useRef('')
  useEffect(() => {
    const offSelection = channel.on('selection', (selection) => {
      selected.current = selectionKey(selection)
      setPending((previous) => (previous !== undefined && previous.selected !== selected.current ? undefined : previous))
    })
    const offRelaunch = channel.on('relaunch', (request) => setPending({ request, selected: selected.current }))
    return () => {
      offSelection()
      offRelaunch()
    }
  }, [channel])
  const done = useCallback(() => setPending(undefined), [])
  return { request: pending?.request, done }
}

/**
 * What the designer should know of a Reframe again: what is missing before it can run ("These results
 * were made with each::labs: add your each::labs API key, then press Reframe again.") and which
 * selected results were left out.
 */
export function relaunchNotice(request: Relaunch, missing?: { provider: string; what: string }): string | undefined {
  const parts: string[] = []
  if (missing !== undefined) {
    const what = missing.what.replace(/ to reframe$/, '')
    parts.push(`These results were made with ${missing.provider}: ${what.charAt(0).toLowerCase()}${what.slice(1)}, then press Reframe again.`)
  }
  const left = request.left.length
  if (left > 0) {
    parts.push(`${left} selected result${left === 1 ? ' was' : 's were'} made with other settings and left out: select ${left === 1 ? 'it' : 'each'} on its own and press Reframe again.`)
  }
  return parts.length > 0 ? parts.join(' ') : undefined
}

/** "Reframe again: 3 results, about $0.015", each job its own source and size. */
export function relaunchCostLine(request: Relaunch, settings: PlanSettings): string {
  const { price, label } = describeProvider(settings.provider)
  const layers = new Map(request.sources.map((source) => [source.nodeId, { width: source.width, height: source.height }]))
  const generated = request.jobs.map((job) => {
    const layer = layers.get(job.sourceNodeId)
    return (layer === undefined ? undefined : previewPlan(layer, job.size, settings).hosted?.generated) ?? { width: 0, height: 0 }
  })
  const { usd } = estimateBatch(price, generated)
  const count = `Reframe again: ${request.jobs.length} result${request.jobs.length === 1 ? '' : 's'}`
  return price.kind === 'free' ? `${count}, free (${label.toLowerCase()})` : `${count}, about ${formatUsd(usd)}`
}
