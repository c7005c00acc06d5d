// Keeps the plugin window as tall as its content (within limits) by asking main to resize it.
import type { RefObject } from 'preact'
import { useEffect } from 'preact/hooks'
import type { Channel } from '../src/protocol/channel'
import { WINDOW_SIZE } from '../src/protocol/messages'


export function useWindowFit(root: RefObject<HTMLElement>, channel: Pick<Channel, 'request'>) {
  useEffect(() => {
    const element = root.current
    if (element === null || typeof ResizeObserver === 'undefined') return undefined
    let last = 0
    let frame: number | undefined
    const send = () => {
      frame = undefined
      const height = Math.min(WINDOW_SIZE.maxHeight, Math.max(WINDOW_SIZE.minHeight, Math.ceil(element.scrollHeight)))
      if (height === last) return
      last = height
      channel.request('resize-ui', { width: WINDOW_SIZE.initial.width, height }).catch(() => {
        // a window that keeps its size is harmless; the next change tries again
        last = 0
      })
    }
    const observer = new ResizeObserver(() => {
      if (frame === undefined) frame = requestAnimationFrame(send)
    })
    observer.observe(element)
    return () => {
      observer.disconnect()
      if (frame !== undefined) cancelAnimationFrame(frame)
    }
  }, [root, channel])
}
