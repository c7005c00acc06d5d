// The preview's theme switch in its header: System (the default, following the OS colour scheme as
// Figma's own "Sync with system" does), Light or Dark. The page itself and the plugin iframe follow it.
import type { FigmaTheme } from './figma-theme'

export type ThemeSetting = 'system' | FigmaTheme

export function setUpThemeToggle(select: HTMLSelectElement, onTheme: (theme: FigmaTheme) => void): FigmaTheme {
  const system = window.matchMedia('(prefers-color-scheme: dark)')
  const current = (): FigmaTheme => {
    const setting = select.value as ThemeSetting
    if (setting === 'light' || setting === 'dark') return setting
    return system.matches ? 'dark' : 'light'
  }
  const apply = () => {
    const theme = current()
    document.documentElement.dataset.theme = theme
    onTheme(theme)
  }
  select.addEventListener('change', apply)
  system.addEventListener('change', () => {
    if (select.value === 'system') apply()
  })
  const theme = current()
  document.documentElement.dataset.theme = theme
  return theme
}
