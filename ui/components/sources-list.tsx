// The selected images that will be reframed (thumbnail, name, size), a damaged image's file with what is
// wrong with it (left out of the run), and the layers skipped, with why.
import { useEffect, useState } from 'preact/hooks'
import type { Selection, SourceInfo } from '../../src/protocol/messages'

function Thumbnail({ bytes, name }: { bytes?: Uint8Array; name: string }) {
  const [url, setUrl] = useState<string | undefined>(undefined)
  useEffect(() => {
    if (bytes === undefined || typeof URL.createObjectURL !== 'function') return undefined
    const objectUrl = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'image/png' }))
    setUrl(objectUrl)
    return () => URL.revokeObjectURL(objectUrl)
  }, [bytes])
  if (url === undefined) return <div class="thumb thumb-empty" aria-hidden="true" />
  return <img class="thumb" src={url} alt={`Preview of ${name}`} />
}

function SourceRow({ source }: { source: SourceInfo }) {
  const warningId = `damage-${source.nodeId}`
  return (
    <li class={source.damage === undefined ? 'source' : 'source source-damaged'} aria-describedby={source.damage === undefined ? undefined : warningId}>
      <Thumbnail bytes={source.thumbnail} name={source.name} />
      <span class="source-name" title={source.name}>
        {source.name}
        {source.via !== undefined && (
          <span class="muted source-via">
            {' '}
            · the original of {source.via.length === 1 ? source.via[0] : `${source.via.length} selected results`}
          </span>
        )}
      </span>
      <span class="muted">
        {Math.round(source.width)}×{Math.round(source.height)}
      </span>
      {source.damage !== undefined && (
        <p class="source-warning" id={warningId}>
          {source.name} {source.damage}. It is left out of the run: export or save the image again.
        </p>
      )}
    </li>
  )
}

export function SourcesList({ selection }: { selection: Selection }) {
  const { sources, skipped } = selection
  return (
    <section class="section" aria-labelledby="sources-heading">
      <h2 id="sources-heading" class="heading">
        Images{sources.length > 0 ? ` (${sources.length})` : ''}
      </h2>
      {sources.length === 0 ? (
        <p class="empty" role="status">
          Nothing selected yet: pick layers with an image fill on the canvas (photos, frames, shapes).
        </p>
      ) : (
        <ul class="sources" aria-label="Images to reframe">
          {sources.map((source) => (
            <SourceRow key={source.nodeId} source={source} />
          ))}
        </ul>
      )}
      {skipped.length > 0 && (
        <details class="skipped">
          <summary>
            {skipped.length} {skipped.length === 1 ? 'layer' : 'layers'} skipped
          </summary>
          <ul aria-label="Skipped layers">
            {skipped.map((layer) => (
              <li key={layer.nodeId} class="muted">
                <strong>{layer.name}</strong>: {layer.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  )
}
