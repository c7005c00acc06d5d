// Entry of the plugin window: Figma's styles and theme, the channel to main, and the app.
import '@create-figma-plugin/ui/css/base.css'
import '@create-figma-plugin/ui/css/theme.css'
import './app.css'
import { render } from 'preact'
import { App } from './app'
import { connectToMain } from './bridge/connect-to-main'
import { createPixelBackend } from './pixel-backend'
import { keyChecker, providerFactory } from './provider-for-settings'
import { previewOverrides } from './preview-overrides'
import { followFigmaTheme } from './theme'

followFigmaTheme(document)
const channel = connectToMain(window)
const overrides = previewOverrides(window)
const backend = createPixelBackend(window)
render(
  <App channel={channel} createProvider={providerFactory(backend, overrides)} backend={backend} checkKey={keyChecker(overrides)} />,
  document.getElementById('app')!
)
