// The current selection as main reads it (sources and skipped layers), kept fresh by main's events;
// says `ready` once listening, so main starts sending.
import { useEffect, useState } from 'preact/hooks'
import type { Channel } from '../../src/protocol/channel'
import type { Selection } from '../../src/protocol/messages'

export function useSelection(channel: Channel): Selection {
  const [selection, setSelection] = useState<Selection>({ sources: [], skipped: [] })
  useEffect(() => {
    const off = channel.on('selection', setSelection)
    channel.emit('ready', {})
    return off
  }, [channel])
  return selection
}
