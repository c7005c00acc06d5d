// Figma's themeColors puts `figma-light` / `figma-dark` on <html>; the component library's theme.css
// keys its colours on an element *inside* :root, so the class is mirrored onto <body> and kept in step
// when the user switches theme. Outside Figma (preview, screenshots) the system preference decides.
const THEMES = ['figma-light', 'figma-dark'] as const

export function followFigmaTheme(document: Document) {
  const html = document.documentElement
  const apply = () => {
    const fromFigma = THEMES.find((theme) => html.classList.contains(theme))
    const fallback = document.defaultView?.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'figma-dark' : 'figma-light'
    const theme = fromFigma ?? fallback
    for (const name of THEMES) document.body.classList.toggle(name, name === theme)
  }
  apply()
  new MutationObserver(apply).observe(html, { attributes: true, attributeFilter: ['class'] })
}
