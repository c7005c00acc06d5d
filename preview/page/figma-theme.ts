// Figma's theme in the plugin iframe, as Figma gives it to a UI shown with themeColors: the theme's
// colour tokens as variables on :root (<style id="figma-style">) and `figma-light` / `figma-dark` on
// <html>, both changed in place when the user switches theme while the plugin is open.
export type FigmaTheme = 'light' | 'dark'

/** The token declarations of each theme (the body of a `:root { ... }` rule), from the server. */
export type ThemeCss = Record<FigmaTheme, string>

export const THEME_CLASSES: Record<FigmaTheme, string> = { light: 'figma-light', dark: 'figma-dark' }

/** The style element's text for a theme. */
export function themeStyle(theme: FigmaTheme, css: ThemeCss): string {
  return `:root{${css[theme]}}`.replace(/<\/style/gi, '<\\/style')
}

/** A message the host posts to the plugin iframe to switch its theme (no `pluginMessage`: not the plugin's). */
export type ThemeMessage = { figmaTheme: { className: string; css: string } }

export function themeMessage(theme: FigmaTheme, css: ThemeCss): ThemeMessage {
  return { figmaTheme: { className: THEME_CLASSES[theme], css: `:root{${css[theme]}}` } }
}

/**
 * Script put into the plugin's HTML, standing in for Figma's own: applies a theme message from the
 * host frame (and only from it) to <html> and the injected style element.
 */
export const THEME_LISTENER = `<script>addEventListener('message', function (event) {
  var theme = event.source === parent && event.data && event.data.figmaTheme
  if (!theme || typeof theme.className !== 'string' || typeof theme.css !== 'string') return
  var html = document.documentElement
  html.classList.remove(${JSON.stringify(Object.values(THEME_CLASSES)).slice(1, -1)})
  html.classList.add(theme.className)
  var style = document.getElementById('figma-style')
  if (style) style.textContent = theme.css
})</script>`
